#!/usr/bin/python3
"""Pollux vs fetchmail on the same mailbox content and the same SMTP receiver.
Run through bench/run.sh (it provides the D-Bus session and keyring); see
docs/PERFORMANCE.md."""
import argparse
import imaplib
import json
import os
import platform
import poplib
import shutil
import socket
import subprocess
import sys
import threading
import time

import clients
import fixtures

MB = 1000 * 1000


def env_int(name, default):
    return int(os.environ.get(name, default))


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.cache = os.path.join(self.work, "mail")
        self.ca, cert, key = fixtures.make_ca(self.work)
        self.dovecot = fixtures.Dovecot(self.work)
        self.dovecot.start(cert, key)
        env = dict(os.environ)
        self.pollux = clients.Pollux(args.pollux, self.work, self.ca, env)
        self.pollux.set_password(self.pollux.config("password", "pop3", 110, 25, False))
        self.fetchmail = None if args.no_fetchmail else clients.Fetchmail(self.work, self.ca, env)
        self.results = []
        self.failures = []

    def port(self, kind):
        return self.dovecot.ports[{"pop3": "POP3_PORT", "pop3-ssl": "POP3S_PORT",
                                   "imap": "IMAP_PORT", "imap-ssl": "IMAPS_PORT"}[kind]]

    def contenders(self):
        return [self.pollux] + ([self.fetchmail] if self.fetchmail else [])

    def record(self, case, client, run, count, size, ok, extra=None):
        row = {"case": case, "client": client, "wall": run.wall, "cpu": run.cpu,
               "rss_mb": run.rss_kb / 1024.0, "messages": count, "bytes": size,
               "msg_per_s": count / run.wall if run.wall else 0.0,
               "mb_per_s": size / MB / run.wall if run.wall else 0.0, "ok": ok}
        row.update(extra or {})
        self.results.append(row)
        print("  %-9s %7.2fs %8.1f msg/s %7.2f MB/s  cpu %6.2fs  rss %6.1f MB  %s%s" % (
            client, row["wall"], row["msg_per_s"], row["mb_per_s"], row["cpu"], row["rss_mb"],
            "ok" if ok else "FAILED",
            "".join("  %s=%s" % kv for kv in (extra or {}).items())), flush=True)
        if not ok:
            self.failures.append("%s/%s" % (case, client))
            print(run.output[-3000:], file=sys.stderr)

    def transfer(self, case, kind, source, count, size, via_proxy=None, slow_ms=None):
        """Every contender collects the whole mailbox (delete retention) once. slow_ms: on
        the slow disk (bench/slowflush.c), every flush delayed by that many ms and counted."""
        print("%s: %d messages, %.1f MB%s" % (case, count, size / MB, "" if slow_ms is None
                                                else ", every flush %g ms" % slow_ms), flush=True)
        for client in self.contenders():
            self.dovecot.load(source)
            smtp = fixtures.SmtpReceiver()
            port = via_proxy.port if via_proxy else self.port(kind)
            tag = case + "-" + client.name
            count_file = os.path.join(self.work, "flushes-" + tag)
            env = None
            if slow_ms is not None:
                env = clients.slow_disk_env(self.args.slowflush, slow_ms, count_file)
            run = client.run(tag, kind, port, smtp.port, extra_env=env)
            got = smtp.stop()
            left = self.dovecot.remaining()
            ok = (run.status == 0 if client is self.pollux else clients.fetchmail_ok(run))
            ok = ok and got == count and left == 0
            extra = {} if ok else {"delivered": got, "left": left}
            if slow_ms is not None:
                flushes = clients.flush_counts(count_file)
                extra["flushes"] = flushes.get("total", 0)
                extra["flushes_per_msg"] = round(flushes.get("total", 0) / count, 4)
                extra["flush_kinds"] = ",".join("%s:%d" % (k, v) for k, v in flushes.items()
                                                if v and k not in ("total", "delayed_ms"))
            self.record(case, client.name, run, count, size, ok, extra or None)

    def keep_pass(self, count):
        """A keep-on-server mailbox: a first pass collects everything, the measured second
        pass finds nothing new."""
        source = os.path.join(self.cache, "keep-%d" % count)
        size = fixtures.generate(source, count, mixed=False)
        print("keep: %d known messages left on the server, nothing new" % count, flush=True)
        self.dovecot.load(source)
        order = [(self.pollux, "pop3"), (self.pollux, "imap")]
        if self.fetchmail:
            order += [(self.fetchmail, "imap"), (self.fetchmail, "pop3")]
        for client, kind in order:
            tag = "keep-%s-%s" % (kind, client.name)
            smtp = fixtures.SmtpReceiver()
            if client is self.pollux:
                first = client.run(tag, kind, self.port(kind), smtp.port, keep=True)
            else:  # fetchmail would need minutes: tell it directly what it has seen
                first = self.prime_fetchmail(tag, kind)
            primed = smtp.stop() if client is self.pollux else (smtp.stop() or count)
            smtp = fixtures.SmtpReceiver()
            transcript = os.path.join(self.work, "transcript-" + tag)
            shutil.rmtree(transcript, ignore_errors=True)
            if client is self.pollux:
                run = client.run(tag, kind, self.port(kind), smtp.port, keep=True,
                                 transcript=transcript, fresh=False)
                commands, trips = clients.pollux_round_trips(transcript)
                # The acceptance line: an unchanged IMAP mailbox costs at most three
                # round trips (login, SELECT, LOGOUT), checked by the smoke run too.
                ok = first.status == 0 and run.status == 0 and (kind != "imap" or trips <= 3)
            else:
                run = client.run(tag, kind, self.port(kind), smtp.port, keep=True, verbose=True,
                                 fresh=False)
                ok = clients.fetchmail_ok(first) and clients.fetchmail_ok(run)
                commands, trips = clients.fetchmail_commands(run.output)
            again = smtp.stop()
            ok = ok and primed == count and again == 0
            extra = {"first_pass_s": round(first.wall, 2), "commands": commands,
                     "round_trips": trips, "known": count}
            if not ok:
                extra.update(status=(first.status, run.status), delivered=(primed, again))
            self.record("keep-" + kind, client.name, run, 0, 0, ok, extra)

    def prime_fetchmail(self, tag, kind):
        """fetchmail's state after collecting everything with "keep": POP3, every UIDL in
        its idfile; IMAP, every message \\Seen (it fetches only unseen ones)."""
        start = time.monotonic()
        d = os.path.join(self.work, "fetchmail-" + tag)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        if kind == "pop3":
            pop = poplib.POP3("127.0.0.1", self.port("pop3"))
            pop.user(fixtures.USER)
            pop.pass_(fixtures.PASSWORD)
            uidls = [line.split()[1].decode() for line in pop.uidl()[1]]
            pop.quit()
            with open(os.path.join(d, "fetchids"), "w") as f:
                f.writelines("%s@127.0.0.1 %s\n" % (fixtures.USER, u) for u in uidls)
            os.chmod(os.path.join(d, "fetchids"), 0o600)
        else:
            imap = imaplib.IMAP4("127.0.0.1", self.port("imap"))
            imap.login(fixtures.USER, fixtures.PASSWORD)
            imap.select("INBOX")
            imap.store("1:*", "+FLAGS.SILENT", "(\\Seen)")
            imap.logout()
        return clients.Run(time.monotonic() - start, 0.0, 0, 0, "")

    def link_throughput(self, megabytes):
        """Bytes per second from server to client through the proxy (its measured speed)."""
        payload = b"x" * (1 << 20)
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            target = listener.getsockname()[1]
            p = DelayProxy(target, self.args.delay_ms, self.args.rate_mbit)

            def serve():
                conn, _ = listener.accept()
                with conn:
                    for _ in range(megabytes):
                        conn.sendall(payload)

            t = threading.Thread(target=serve)
            t.start()
            start = time.monotonic()
            got = 0
            with socket.create_connection(("127.0.0.1", p.port)) as c:
                while True:
                    data = c.recv(1 << 20)
                    if not data:
                        break
                    got += len(data)
            elapsed = time.monotonic() - start - 2 * self.args.delay_ms / 1000.0
            t.join()
            p.stop()
        return got / max(elapsed, 1e-6)

    def gui(self):
        binary = self.args.gui_stall
        if not binary or not os.path.exists(binary):
            print("gui: skipped (build with -DPOLLUX_BENCH=ON for bench/gui_stall)")
            return
        n = env_int("BENCH_GUI_MESSAGES", 20 if self.args.smoke else 2000)
        source = os.path.join(self.cache, "gui-%d" % n)
        size = fixtures.generate(source, n, mixed=False, small=4000)
        print("gui: the tray's engine moves %d messages; largest GUI-thread stall" % n, flush=True)
        self.dovecot.load(source)
        smtp = fixtures.SmtpReceiver()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        run = clients.measure([binary, "--pop3-port", str(self.port("pop3")), "--smtp-port",
                               str(smtp.port), "--user", fixtures.USER, "--password",
                               fixtures.PASSWORD, "--messages", str(n)]
                              + ([] if os.environ.get("BENCH_GUI_ACTIVITY", "1") == "1"
                                 else ["--no-activity"]), env=env, timeout=600)
        got = smtp.stop()
        extra = {}
        for line in run.output.splitlines():
            if line.startswith("RESULT "):
                extra = json.loads(line[len("RESULT "):])
        ok = run.status == 0 and got == n and "max_gap_ms" in extra
        self.record("gui", "pollux-ui", run, n, size, ok, extra)


class DelayProxy:
    def __init__(self, target, delay_ms, rate_mbit):
        script = os.path.join(fixtures.HERE, "delay_proxy.py")
        self.proc = subprocess.Popen([sys.executable, script, "--target", str(target),
                                      "--delay-ms", str(delay_ms), "--rate-mbit", str(rate_mbit)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != b"PORT":
            sys.exit("bench: delay proxy did not start")
        self.port = int(line[1])

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(10)


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_mb": mem, "kernel": platform.release(),
            "load_before": os.getloadavg()}


def ratio(results, case, key="msg_per_s"):
    rows = {r["client"]: r for r in results if r["case"] == case}
    if "pollux" in rows and "fetchmail" in rows and rows["fetchmail"][key]:
        return rows["pollux"][key] / rows["fetchmail"][key]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pollux", required=True)
    parser.add_argument("--gui-stall", default="")
    parser.add_argument("--work", required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--no-fetchmail", action="store_true")
    parser.add_argument("--cases", default="pop3,pop3-ssl,imap-ssl,slow,delay,big,keep,gui")
    parser.add_argument("--slowflush", default="", help="the slow-disk shim (slowflush.so)")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    smoke = args.smoke
    args.delay_ms = float(os.environ.get("BENCH_DELAY_MS", 15))
    args.rate_mbit = float(os.environ.get("BENCH_LINK_MBIT", 100))
    n = env_int("BENCH_MESSAGES", 20 if smoke else 2000)
    n_delay = env_int("BENCH_DELAY_MESSAGES", 10 if smoke else 500)
    big_mb = env_int("BENCH_BIG_MB", 5 if smoke else 200)
    n_keep = env_int("BENCH_KEEP_MESSAGES", 50 if smoke else 20000)
    cases = args.cases.split(",")
    slow_ms = float(os.environ.get("BENCH_SLOW_FLUSH_MS", 8))
    if "slow" in cases and not (args.slowflush and os.path.exists(args.slowflush)):
        print("slow: skipped (no slow-disk shim; bench/run.sh builds bench/slowflush.c)")
        cases.remove("slow")

    info = machine()
    print("machine: %(nproc)d CPUs, %(cpu)s, %(mem_mb)d MB, load %(load_before)s" % info)
    started = time.monotonic()
    b = Bench(args)
    try:
        mixed = os.path.join(b.cache, "mixed-%d" % n)
        size = (fixtures.generate(mixed, n)
                if {"pop3", "pop3-ssl", "imap-ssl", "slow"} & set(cases) else 0)
        for kind in ("pop3", "pop3-ssl", "imap-ssl"):
            if kind in cases:
                b.transfer(kind, kind, mixed, n, size)
        if "slow" in cases:  # an office PC's disk: the same mailbox, every flush slow
            b.transfer("slow-pop3", "pop3", mixed, n, size, slow_ms=slow_ms)
            info["slow_flush_ms"] = slow_ms
        link = None
        if "delay" in cases:
            src = os.path.join(b.cache, "mixed-%d" % n_delay)
            dsize = fixtures.generate(src, n_delay, seed=8)
            link = b.link_throughput(4 if smoke else 32)
            proxy = DelayProxy(b.port("pop3"), args.delay_ms, args.rate_mbit)
            print("link: %.0f ms round trip, %g Mbit/s, measured %.2f MB/s" %
                  (2 * args.delay_ms, args.rate_mbit, link / MB))
            b.transfer("delay-pop3", "pop3", src, n_delay, dsize, via_proxy=proxy)
            proxy.stop()
            bytes_time = dsize / link
            for r in b.results:
                if r["case"] == "delay-pop3":
                    r["bytes_time_s"] = bytes_time
                    r["vs_bytes_time"] = r["wall"] / bytes_time
            info["link_mb_per_s"] = link / MB
            info["link_rtt_ms"] = 2 * args.delay_ms
            info["link_mbit"] = args.rate_mbit
        if "big" in cases:
            src = os.path.join(b.cache, "big-%d" % big_mb)
            bsize = fixtures.generate_big(src, big_mb * MB)
            b.transfer("big", "pop3", src, 1, bsize)
        if "keep" in cases:
            b.keep_pass(n_keep)
        if "gui" in cases:
            b.gui()
    finally:
        b.dovecot.stop()
    total = time.monotonic() - started
    info["load_after"] = os.getloadavg()
    info["total_s"] = total

    print("\nratios Pollux/fetchmail (messages/s, same run):")
    for case in ("pop3", "pop3-ssl", "imap-ssl", "slow-pop3", "delay-pop3", "big"):
        r = ratio(b.results, case)
        if r is not None:
            print("  %-10s %6.2fx" % (case, r))
    for r in b.results:
        if r["case"] == "delay-pop3" and r["client"] == "pollux":
            print("  delay-pop3: Pollux needs %.2fx the time the bytes alone need" %
                  r["vs_bytes_time"])
    for r in b.results:
        if r["case"] == "slow-pop3":
            print("  slow-pop3: %s %.4f flushes per message (%d in all)" %
                  (r["client"], r.get("flushes_per_msg", 0), r.get("flushes", 0)))
    print("total %.0f s; load %s" % (total, info["load_after"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "results": b.results}, f, indent=1)
    if b.failures:
        print("FAILED: " + ", ".join(b.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
