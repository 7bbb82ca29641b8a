#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QString>

namespace pollux::ui {

// The one place that turns error codes into translated sentences for people.
class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    // A plain sentence for the code, e.g. "The server refused the username or password."
    static QString sentence(const Result &result);
    // The sentence, then the technical detail (the server's words) on its own line.
    static QString describe(const Result &result);
    // Whether a keychain error means "nothing stored yet" rather than "no keychain".
    static bool isMissingSecret(const Result &result);
    // The technical detail worth showing beside the sentence: the message, less what only
    // suits a terminal (the command that stores a missing password).
    static QString detail(const Result &result);
};

} // namespace pollux::ui
