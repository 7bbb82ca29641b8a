#pragma once

#include <QStringList>
#include <QVector>

namespace pollux {

// The upgrade ladder: step i (0-based) takes a database from user_version i to i + 1.
// Never edit a released step; append a new one.
const QVector<QStringList> &schemaMigrations();
// The step that adds the alert state (engine/AlertTracker); appended to the ladder.
QStringList alertsMigration();
// The step that adds what the activity window shows of a message and charts (schema 9:
// From and Subject for display, the time of a refusal, indexes on the three times).
QStringList historyMigration();

} // namespace pollux
