#include "ConfigCheck.h"

#include "config/Config.h"
#include "engine/Engine.h"

#include <cstdio>

namespace pollux::app {

namespace {

void printProblems(const QString &prefix, const QString &problems)
{
    for (const QString &line : problems.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        fprintf(stderr, "pollux: %s%s\n", qPrintable(prefix), qPrintable(line));
}

} // namespace

bool loadValidConfig(const QString &path, Config &config)
{
    if (Result r = Config::load(path, config); !r) {
        printProblems(QString(), r.message()); // each line names the file
        return false;
    }
    if (Result r = config.validate(); !r) {
        printProblems(path + QStringLiteral(": "), r.message());
        return false;
    }
    // The extra CA file is read at start too: a wrong one is a configuration problem.
    QList<QSslCertificate> cas;
    if (Result r = Engine::loadCaCertificates(config, cas); !r) {
        printProblems(path + QStringLiteral(": "), r.message());
        return false;
    }
    return true;
}

int runConfigCheck(const Invocation &inv)
{
    Config config;
    if (!loadValidConfig(inv.configPath, config))
        return 2;
    printf("%s: valid\n%s", qPrintable(inv.configPath), qPrintable(config.describe()));
    return 0;
}

} // namespace pollux::app
