"""Servers and mail for the Pollux benchmark: a private Dovecot (filled in from
tests/fixtures/dovecot.conf.in, the way tests/support/DovecotServer.cpp does it), a
throw-away CA, generated mailboxes and a fast SMTP receiver. Everything binds to
127.0.0.1 and lives under one work directory."""
import base64
import grp
import os
import pwd
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
USER = "bench"
# The throw-away user of the benchmark's private Dovecot: a new password every run, kept in
# the run's private keyring for Pollux (never in a file of ours).
PASSWORD = secrets.token_urlsafe(18)
RECIPIENT = "rcpt@office.example"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def make_ca(work):
    """A CA and a server certificate for 127.0.0.1; returns (ca, cert, key) paths."""
    d = os.path.join(work, "tls")
    os.makedirs(d, exist_ok=True)
    ca, ca_key = os.path.join(d, "ca.pem"), os.path.join(d, "ca.key")
    cert, key = os.path.join(d, "server.pem"), os.path.join(d, "server.key")
    if os.path.exists(cert):
        return ca, cert, key
    q = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=Pollux bench CA", "-keyout", ca_key, "-out", ca], **q)
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")
    csr = os.path.join(d, "server.csr")
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-keyout", key, "-out", csr], **q)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                    "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert], **q)
    os.chmod(key, 0o644)  # Dovecot reads it as root, but its config parser may not
    return ca, cert, key


def mail_ids():
    """uid/gid that own the mail: ourselves, or Debian's "mail" user when we are root."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    pw = pwd.getpwnam("mail")
    return pw.pw_uid, pw.pw_gid


class Dovecot:
    def __init__(self, work):
        self.dir = os.path.join(work, "dovecot")
        self.proc = None
        self.ports = {}
        os.makedirs(os.path.join(self.dir, "home"), exist_ok=True)
        os.chmod(work, 0o755)
        os.chmod(self.dir, 0o755)

    def maildir(self):
        return os.path.join(self.dir, "home", USER, "Maildir")

    def start(self, cert, key):
        root = os.geteuid() == 0
        me = pwd.getpwuid(os.geteuid()).pw_name
        uid, gid = mail_ids()
        self.ports = {n: free_port() for n in ("POP3_PORT", "POP3S_PORT", "IMAP_PORT", "IMAPS_PORT")}
        values = {
            "BASE_DIR": os.path.join(self.dir, "run"),
            "STATE_DIR": os.path.join(self.dir, "state"),
            "INSTANCE": "pollux-bench-%d" % os.getpid(),
            "LOG_PATH": os.path.join(self.dir, "dovecot.log"),
            "INTERNAL_USER": "dovecot" if root else me,
            "INTERNAL_GROUP": "dovecot" if root else grp.getgrgid(os.getegid()).gr_name,
            "LOGIN_USER": "dovenull" if root else me,
            "UID": str(uid), "GID": str(gid),
            "SSL_CERT": cert, "SSL_KEY": key,
            "AUTH_MECHANISMS": "plain login",
            "LISTEN": "127.0.0.1",
            "PASSWD_FILE": os.path.join(self.dir, "passwd"),
            "HOME_DIR": os.path.join(self.dir, "home"),
            "LOGIN_CHROOT": "" if root else "  chroot =",
            "ANVIL_CHROOT": "" if root else "  chroot =",
        }
        values.update({k: str(v) for k, v in self.ports.items()})
        with open(os.path.join(ROOT, "tests", "fixtures", "dovecot.conf.in")) as f:
            conf = f.read()
        for k, v in values.items():
            conf = conf.replace("@%s@" % k, v)
        # A benchmark user has many messages in one connection: lift the per-user limits.
        conf += "\nmail_max_userip_connections = 50\n"
        path = os.path.join(self.dir, "dovecot.conf")
        with open(path, "w") as f:
            f.write(conf)
        os.chmod(path, 0o644)
        line = "%s:{PLAIN.BASE64}%s::::::\n" % (USER, base64.b64encode(PASSWORD.encode()).decode())
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            f.write(line)
        os.chmod(os.path.join(self.dir, "passwd"), 0o644)
        self.proc = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        for port in self.ports.values():
            if not wait_port(port, self.proc):
                self.stop()
                log = os.path.join(self.dir, "dovecot.log")
                tail = open(log).read()[-2000:] if os.path.exists(log) else ""
                sys.exit("bench: dovecot did not start\n" + tail)

    def load(self, source):
        """Replaces the mailbox by the messages of `source` (hard links, fresh index)."""
        home = os.path.join(self.dir, "home", USER)
        shutil.rmtree(home, ignore_errors=True)
        md = self.maildir()
        for sub in ("tmp", "cur"):
            os.makedirs(os.path.join(md, sub))
        shutil.copytree(source, os.path.join(md, "new"), copy_function=os.link)
        uid, gid = mail_ids()
        for d, _, files in os.walk(home):
            os.chown(d, uid, gid)

    def remaining(self):
        md = self.maildir()
        return sum(len(os.listdir(os.path.join(md, s))) for s in ("new", "cur"))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


WORDS = ("lorem ipsum dolor sit amet office invoice meeting report quarterly numbers "
         "please find attached regards thanks tomorrow schedule project update review "
         "customer order shipping delivery price offer contract signed draft").split()


def _text(rng, size):
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(12)) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out)[:size]


def _attachment(size):
    raw = os.urandom(size * 3 // 4)
    b = base64.b64encode(raw)
    return b"\n".join(b[i:i + 76] for i in range(0, len(b), 76)) + b"\n"


def _message(i, rng, body_size, attach_size):
    head = ("From: Sender %d <sender%d@provider.example>\nTo: %s\nSubject: Benchmark message %d\n"
            "Date: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <bench-%d-%d@provider.example>\n"
            "MIME-Version: 1.0\n" % (i, i % 50, RECIPIENT, i, i, rng.getrandbits(32)))
    if not attach_size:
        return (head + "Content-Type: text/plain; charset=us-ascii\n\n"
                + _text(rng, body_size)).encode()
    return ((head + 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
             "Content-Type: text/plain\n\n" + _text(rng, body_size)
             + '\n--b1\nContent-Type: application/octet-stream; name="a.bin"\n'
             "Content-Transfer-Encoding: base64\n\n").encode()
            + _attachment(attach_size) + b"--b1--\n")


def generate(target, count, seed=6, mixed=True, small=1000):
    """Writes `count` maildir messages into `target`; returns their total size in bytes.
    mixed: 94% text of 2-50 KB, 5% with an attachment of 0.1-1 MB, 1% with 1-5 MB.
    Otherwise every message is about `small` bytes."""
    if os.path.isdir(target):
        return sum(os.path.getsize(os.path.join(target, f)) for f in os.listdir(target))
    tmp = target + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    rng = random.Random(seed)
    total = 0
    for i in range(count):
        attach = 0
        if not mixed:
            body = small
        else:
            r = rng.random()
            body = rng.randint(2000, 50000)
            if r < 0.01:
                body, attach = rng.randint(500, 4000), rng.randint(1000000, 5000000)
            elif r < 0.06:
                body, attach = rng.randint(500, 4000), rng.randint(100000, 1000000)
        data = _message(i, rng, body, attach)
        with open(os.path.join(tmp, "%d.M%06dP1.bench" % (1700000000 + i, i)), "wb") as f:
            f.write(data)
        total += len(data)
    os.rename(tmp, target)
    return total


def generate_big(target, size):
    """One message of about `size` bytes (a base64 attachment), streamed to disk."""
    if os.path.isdir(target):
        return sum(os.path.getsize(os.path.join(target, f)) for f in os.listdir(target))
    tmp = target + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    rng = random.Random(7)
    path = os.path.join(tmp, "1700000000.M000000P1.bench")
    with open(path, "wb") as f:
        f.write(_message(0, rng, 2000, 1)[:-len(b"--b1--\n")])
        block = _attachment(3 * 1024 * 1024)
        written = 0
        while written < size:
            f.write(block)
            written += len(block)
        f.write(b"--b1--\n")
    os.rename(tmp, target)
    return os.path.getsize(os.path.join(target, os.path.basename(path)))


class SmtpReceiver:
    """Postfix's smtp-sink (PIPELINING, discards everything, counts messages), or our
    bench/smtp_count.py where Postfix is not installed."""

    def __init__(self):
        self.port = free_port()
        cmd = ["/usr/sbin/smtp-sink", "-a", "-c", "127.0.0.1:%d" % self.port, "256"]
        if not os.path.exists(cmd[0]):
            cmd = [sys.executable, os.path.join(HERE, "smtp_count.py"), str(self.port)]
        elif os.geteuid() == 0:
            cmd[1:1] = ["-u", "nobody"]
        # Counters go to a file: a pipe nobody reads would fill up and stall the receiver.
        self.out = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.DEVNULL)
        if not wait_port(self.port, self.proc):
            sys.exit("bench: smtp-sink did not start")

    def stop(self):
        """Stops the receiver; returns the number of messages it accepted."""
        self.proc.terminate()
        self.proc.wait()
        self.out.seek(0)
        out = self.out.read()
        self.out.close()
        counts = re.findall(rb"mesg=(\d+)", out)
        return int(counts[-1]) if counts else 0
