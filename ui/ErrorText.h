#pragma once

#include "engine/AccessTester.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QString>

namespace pollux::ui {

// The one place that turns error codes into translated sentences for people.
class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    // A plain sentence for the code, e.g. "The server refused the username or password.",
    // naming the server and port where the result carries them. Never the English message.
    static QString sentence(const Result &result);
    // "The server said: <its words, verbatim>", or empty when the server said nothing.
    static QString serverSaidLine(const Result &result);
    // The sentence, then the server's words on a line of their own (serverSaidLine()).
    static QString describe(const Result &result);
    // Whether a keychain error means "nothing stored yet" rather than "no keychain".
    static bool isMissingSecret(const Result &result);
    // What is worth showing beside the sentence, in brackets: the server's words
    // (serverSaidLine()); else, when the result has an (English, logged) message, a pointer
    // to the log; else empty.
    static QString detail(const Result &result);

    // What "Test access" found, for the account dialog: one sentence, then the evidence,
    // a line each - where it connected (server, port, encryption), the certificate's
    // fingerprint, the server's own words.
    static QString testAccessText(const AccessTester::Outcome &outcome,
                                  const AccountConfig &account);
};

} // namespace pollux::ui
