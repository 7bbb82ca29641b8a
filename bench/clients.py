"""The two contenders of the benchmark, Pollux headless and fetchmail, each run once as a
child process whose wall time, CPU time and peak RSS are measured (os.wait4)."""
import json
import os
import re
import shutil
import subprocess
import time

from fixtures import PASSWORD, RECIPIENT, USER


class Run:
    def __init__(self, wall, cpu, rss_kb, status, output):
        self.wall, self.cpu, self.rss_kb, self.status, self.output = wall, cpu, rss_kb, status, output


def measure(cmd, env=None, stdin_data=None, timeout=None):
    """Runs cmd; returns a Run with wall seconds, user+system CPU seconds and peak RSS."""
    out_path = "/tmp/pollux-bench-out-%d.txt" % os.getpid()
    # A forked child's peak RSS counts the benchmark's own memory until it calls exec:
    # GNU time (small) reports the program's own peak and CPU time instead.
    time_path = out_path + ".time"
    gnu_time = os.path.exists("/usr/bin/time")
    if gnu_time:
        cmd = ["/usr/bin/time", "-f", "%M %U %S", "-o", time_path] + list(cmd)
    with open(out_path, "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL)
        if stdin_data is not None:
            proc.stdin.write(stdin_data)
            proc.stdin.close()
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, "rb") as f:
        output = f.read().decode(errors="replace")
    os.unlink(out_path)
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if gnu_time and os.path.exists(time_path):
        with open(time_path) as f:
            fields = f.read().split("\n")[-2].split()  # the last line; earlier ones: status
        os.unlink(time_path)
        rss, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    return Run(wall, cpu, rss, proc.returncode, output)


class Pollux:
    name = "pollux"

    def __init__(self, binary, work, ca, env):
        self.binary, self.work, self.ca, self.env = binary, work, ca, env

    def set_password(self, config):
        r = measure([self.binary, "password", "set", USER, "--config", config], env=self.env,
                    stdin_data=(PASSWORD + "\n").encode())
        if r.status != 0:
            raise SystemExit("bench: pollux password set failed:\n" + r.output)

    def config(self, tag, kind, port, smtp_port, keep):
        d = os.path.join(self.work, "pollux-" + tag)
        os.makedirs(d, exist_ok=True)
        account = {"name": USER, "type": kind, "host": "127.0.0.1", "port": port,
                   "username": USER, "recipient": RECIPIENT, "allowPlaintextLogin": True,
                   "retention": "keep" if keep else "delete", "timeoutSecs": 600}
        conf = {"version": 1, "accounts": [account], "caFile": self.ca, "dataDir": d + "/data",
                "logFile": d + "/pollux.log", "maxPerPass": 100000, "pollIntervalSecs": 300,
                "smtp": {"host": "127.0.0.1", "port": smtp_port, "heloName": "bench.local",
                         "timeoutSecs": 600}}
        path = os.path.join(d, "pollux.json")
        with open(path, "w") as f:
            json.dump(conf, f, indent=2)
        return path

    def run(self, tag, kind, port, smtp_port, keep=False, transcript=None, fresh=True,
            extra_env=None):
        if fresh:  # forget what an earlier run with the same work directory collected
            shutil.rmtree(os.path.join(self.work, "pollux-" + tag), ignore_errors=True)
        config = self.config(tag, kind, port, smtp_port, keep)
        env = dict(self.env, **(extra_env or {}))
        if transcript:
            os.makedirs(transcript, exist_ok=True)
            env["POLLUX_TRANSCRIPT_DIR"] = transcript
        return measure([self.binary, "--headless", "--once", "--config", config], env=env)


class Fetchmail:
    name = "fetchmail"

    def __init__(self, work, ca, env):
        self.work, self.ca, self.env = work, ca, env

    def run(self, tag, kind, port, smtp_port, keep=False, verbose=False, fresh=True,
            extra_env=None):
        d = os.path.join(self.work, "fetchmail-" + tag)
        if fresh:
            shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d, exist_ok=True)
        proto = "IMAP" if kind.startswith("imap") else "POP3"
        opts = ["keep"] if keep else ["fetchall", "nokeep"]
        uidl = "uidl" if keep and proto == "POP3" else ""
        # Like Pollux: TLS from the first byte for -ssl, no STARTTLS otherwise.
        ssl = ('ssl sslcertck sslcertfile "%s"' % self.ca) if kind.endswith("-ssl") \
            else 'sslproto ""'
        rc = os.path.join(d, "fetchmailrc")
        with open(rc, "w") as f:
            f.write('set no bouncemail\nset no spambounce\nset no syslog\n'
                    'poll 127.0.0.1 service %d proto %s auth password timeout 600 %s\n'
                    '  user "%s" there with password "%s" is "%s" here\n'
                    '  options %s smtphost "127.0.0.1/%d" smtpname "%s" %s\n'
                    % (port, proto, uidl, USER, PASSWORD, RECIPIENT, " ".join(opts), smtp_port,
                       RECIPIENT, ssl))
        os.chmod(rc, 0o600)
        cmd = ["fetchmail", "-f", rc, "-i", os.path.join(d, "fetchids"),
               "--pidfile", os.path.join(d, "pid")]
        if verbose:
            cmd.append("-v")
        env = dict(self.env, FETCHMAILHOME=d, **(extra_env or {}))
        return measure(cmd, env=env)


def slow_disk_env(shim, delay_ms, count_file):
    """The environment of a run on the slow disk (bench/slowflush.c): every flush delayed,
    and counted into count_file (emptied here)."""
    if os.path.exists(count_file):
        os.unlink(count_file)
    # A sanitizer build wants its runtime first; the shim only wraps libc's flush calls.
    asan = os.environ.get("ASAN_OPTIONS", "")
    return {"LD_PRELOAD": shim, "SLOWFLUSH_MS": str(delay_ms), "SLOWFLUSH_COUNT": count_file,
            "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}


def flush_counts(count_file):
    """Sum of every process's line in a SLOWFLUSH_COUNT file: {"fsync": n, ..., "total": n}."""
    totals = {}
    if not os.path.exists(count_file):
        return totals
    with open(count_file) as f:
        for line in f:
            for field in line.split()[1:]:
                key, _, value = field.partition("=")
                totals[key] = totals.get(key, 0) + int(value)
    return totals


def fetchmail_ok(run):
    # 0: mail was fetched; 1: there was none.
    return run.status in (0, 1)


def pollux_round_trips(transcript_dir):
    """(commands, round trips) of the mailbox connections in a transcript directory: a
    round trip is a flight of client lines sent before the next server line arrives."""
    commands = trips = 0
    for name in sorted(os.listdir(transcript_dir)):
        if "smtp" in name.lower():
            continue
        last = None
        with open(os.path.join(transcript_dir, name), errors="replace") as f:
            for line in f:
                parts = line.split(" ", 2)
                if len(parts) < 2 or parts[1] not in ("C:", "S:"):
                    continue
                if parts[1] == "C:":
                    commands += 1
                    if last != "C:":
                        trips += 1
                last = parts[1]
    return commands, trips


def fetchmail_commands(output):
    """Commands in fetchmail's -v output; it sends one and waits, so each is a round trip."""
    n = len(re.findall(r"^fetchmail: (?:POP3|IMAP)> ", output, re.M))
    return n, n
