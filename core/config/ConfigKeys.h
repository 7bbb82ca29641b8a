#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pollux {

// The key checks of Config::parse(): a misspelt, unknown or repeated key is an error, never
// silently a default (a misspelt "retention" would otherwise delete mail that was to be kept).
namespace ConfigKeys {

// A key that carries no setting and is allowed at every level: "comment", or one that
// starts with "x-" (any case), for the administrator's notes.
bool isNote(const QString &key);

// Keys that appear more than once in one object of `json`, which must be valid JSON (parse
// it first; QJsonDocument silently keeps the last value). Each problem names the key's
// path and the lines, e.g. `accounts[1].retention: given twice (lines 7 and 12) ...`.
QStringList duplicateKeys(const QByteArray &json);

// The known key that `key` most likely means: one that differs only in case, else the
// nearest by Damerau-Levenshtein distance when it is close enough; empty when none is.
QString nearest(const QString &key, const QStringList &known);

// Optimal string alignment distance (insertions, deletions, substitutions and
// transpositions of neighbours), case-sensitive.
int editDistance(const QString &a, const QString &b);

} // namespace ConfigKeys

} // namespace pollux
