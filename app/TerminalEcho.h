#pragma once

#include <QByteArray>

namespace pollux::app {

// While it lives, what is typed on the terminal of standard input is not shown (a password
// being entered). Restored when it is destroyed, and also when SIGINT, SIGTERM, SIGHUP or
// SIGQUIT end the program meanwhile (their default action follows the restore).
// Nothing happens when standard input is not a terminal (a pipe, a file).
//
// Unix: termios. Windows would clear ENABLE_ECHO_INPUT with GetConsoleMode/SetConsoleMode
// here; it is not implemented (input stays visible there).
class TerminalEchoOff
{
public:
    TerminalEchoOff();
    ~TerminalEchoOff();

    TerminalEchoOff(const TerminalEchoOff &) = delete;
    TerminalEchoOff &operator=(const TerminalEchoOff &) = delete;

    // Echo was turned off (standard input is a terminal that echoed).
    bool active() const { return m_active; }

    static bool stdinIsTerminal();

private:
    bool m_active = false;
};

// Reads one line of standard input (at most 64 KiB) with echo off, after `prompt` on stderr
// when standard input is a terminal; the line ending is dropped. False when standard input
// cannot be read.
bool readSecretLine(const char *prompt, QByteArray &out);

} // namespace pollux::app
