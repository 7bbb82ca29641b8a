#pragma once

#include <QString>

namespace pollux {

// The rules for single fields, shared by Config::validate() and the settings dialogs (so
// a problem is caught next to its field before the engine's validation sees it).
namespace FieldRules {
bool hasControl(const QString &s);
bool hasSpaceOrControl(const QString &s);
bool isDomainName(const QString &domain);
// An endpoint of an authorization server: https, or http to a loopback address (tests).
bool isEndpointUrl(const QString &url);
bool looksLikeAddress(const QString &address); // local@domain, no display name
bool isFingerprint(const QString &hex);        // 64 hex digits, colons allowed
bool isHeaderName(const QString &name);
} // namespace FieldRules

} // namespace pollux
