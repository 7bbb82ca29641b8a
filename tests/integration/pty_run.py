#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal (its controlling terminal, as in a real session),
waits for PROMPT in what the terminal shows, then types INPUT: a line of text and Enter,
or "^C" for Ctrl-C. Writes everything the terminal showed to standard output, then a last
line "ECHO=1" or "ECHO=0": whether the terminal echoes again once the command ended.
Exits with the command's status (128 + n when killed by signal n, 124 on a timeout).

    pty_run.py PROMPT INPUT -- COMMAND [ARGS...]
"""
import os
import pty
import select
import signal
import sys
import termios
import time


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.stderr.write(__doc__)
        return 2
    prompt = sys.argv[1].encode()
    typed = b"\x03" if sys.argv[2] == "^C" else sys.argv[2].encode() + b"\r"
    command = sys.argv[4:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    shown = b""
    sent = False
    deadline = time.monotonic() + 60
    status = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.stdout.buffer.write(shown + b"\nTIMEOUT\n")
            return 124
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the command closed the terminal
                data = b""
            if not data:
                break
            shown += data
            if not sent and prompt in shown:
                os.write(fd, typed)
                sent = True
        else:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
    # The terminal's settings outlive the command: read them through the master side.
    echo = termios.tcgetattr(fd)[3] & termios.ECHO
    if status is None:
        _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(shown + b"\nECHO=%d\n" % (1 if echo else 0))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
