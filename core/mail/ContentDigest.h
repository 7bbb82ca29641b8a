#pragma once

#include <QString>

class QIODevice;

namespace pollux::mail {

// The digest that tells two copies of one message from two messages that share a
// Message-ID: SHA-256 (hex) of what the sender wrote - the originator fields (From, Sender,
// Reply-To, To, Cc, Subject, Date, Message-ID, In-Reply-To, References, MIME-Version,
// Content-Type, Content-Transfer-Encoding; every occurrence, in order, unfolded, white space
// collapsed) and the body with every CR dropped. The fields a provider adds to each
// recipient's copy (Received, Delivered-To, X-Original-To, Return-Path, ...) are left out,
// so the per-recipient copies of one message agree, while a forged mail under a borrowed
// Message-ID does not agree with the real one unless it is the real one, byte for byte.
// Reads `device` from the start to the end and leaves it at position 0; empty on a read
// error.
QString contentDigest(QIODevice *device);

} // namespace pollux::mail
