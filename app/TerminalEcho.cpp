#include "TerminalEcho.h"

#include <QFile>
#include <QtGlobal>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <csignal>
#include <termios.h>
#include <unistd.h>
#endif

namespace pollux::app {

#ifdef Q_OS_UNIX
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct termios g_saved = {};
volatile sig_atomic_t g_restore = 0;
struct sigaction g_previous[sizeof(kSignals) / sizeof(kSignals[0])] = {};

// Async-signal-safe: tcsetattr and raise are. SA_RESETHAND has put the default action
// back, so the re-raised signal ends the program as it would have.
void restoreAndReraise(int sig)
{
    if (g_restore)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    ::raise(sig);
}

} // namespace

bool TerminalEchoOff::stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

TerminalEchoOff::TerminalEchoOff()
{
    if (!stdinIsTerminal() || ::tcgetattr(STDIN_FILENO, &g_saved) != 0 || !(g_saved.c_lflag & ECHO))
        return;
    struct sigaction sa = {};
    sa.sa_handler = restoreAndReraise;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i)
        ::sigaction(kSignals[i], &sa, &g_previous[i]);
    g_restore = 1;
    struct termios quiet = g_saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        g_restore = 0;
        for (size_t i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i)
            ::sigaction(kSignals[i], &g_previous[i], nullptr);
        return;
    }
    m_active = true;
}

TerminalEchoOff::~TerminalEchoOff()
{
    if (!m_active)
        return;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    g_restore = 0;
    for (size_t i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i)
        ::sigaction(kSignals[i], &g_previous[i], nullptr);
}

#else

bool TerminalEchoOff::stdinIsTerminal()
{
    return false; // Windows: _isatty(_fileno(stdin)) with the console seam above
}

TerminalEchoOff::TerminalEchoOff() = default;
TerminalEchoOff::~TerminalEchoOff() = default;

#endif

bool readSecretLine(const char *prompt, QByteArray &out)
{
    {
        // Off before the prompt, so nothing typed after it is ever shown.
        TerminalEchoOff echoOff;
        if (TerminalEchoOff::stdinIsTerminal())
            fprintf(stderr, "%s", prompt);
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return false;
        out = in.readLine(64 * 1024);
        if (echoOff.active())
            fputc('\n', stderr); // the Enter typed was not shown either
    }
    while (out.endsWith('\n') || out.endsWith('\r'))
        out.chop(1);
    return true;
}

} // namespace pollux::app
