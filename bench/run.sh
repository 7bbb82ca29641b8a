#!/usr/bin/env bash
# The Pollux benchmark: Pollux headless against fetchmail on the same generated mailbox
# (a private Dovecot) and the same SMTP receiver (Postfix's smtp-sink), all on loopback.
# See docs/PERFORMANCE.md.
#
#   bench/run.sh [--smoke] [--build-dir DIR] [--pollux BIN] [--gui-stall BIN]
#                [--work DIR] [--no-fetchmail] [--cases LIST] [--json FILE]
#
#   --smoke       a quick functional check: 20 messages per case, Pollux only (the test
#                 suite runs this)
#   --build-dir   where to build pollux and bench/gui_stall (Release, POLLUX_BENCH=ON);
#                 default: build/bench
#   --pollux BIN  use this pollux binary, build nothing (--gui-stall BIN likewise)
#   --work DIR    scratch directory (generated mail is cached there between runs);
#                 default: a new temporary directory, removed afterwards
#   --cases LIST  comma-separated subset of pop3,pop3-ssl,imap-ssl,slow,delay,big,keep,gui
#   --json FILE   also write every figure to FILE
#
# Sizes: BENCH_MESSAGES (2000, also the slow-disk case's), BENCH_SLOW_FLUSH_MS (8: every
# flush of the slow-disk case, bench/slowflush.c), BENCH_DELAY_MESSAGES (500),
# BENCH_DELAY_MS (15, each way), BENCH_LINK_MBIT (100, the delayed link's bandwidth),
# BENCH_BIG_MB (200), BENCH_KEEP_MESSAGES (20000), BENCH_GUI_MESSAGES (2000).
# Exit status: 0 when every run collected and delivered every message.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

# --- Inside dbus-run-session: a throw-away unlocked keyring, then the benchmark -----------
if [ "${POLLUX_BENCH_INNER:-}" = 1 ]; then
  unset POLLUX_BENCH_INNER
  tmp=$1
  shift
  export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share XDG_CONFIG_HOME=$tmp/home/.config
  export XDG_CACHE_HOME=$tmp/home/.cache XDG_RUNTIME_DIR=$tmp/runtime
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK DISPLAY WAYLAND_DISPLAY
  export QT_QPA_PLATFORM=offscreen POLLUX_KEYCHAIN_SERVICE=PolluxBench
  printf 'pollux-bench' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$tmp/keyring.log" 2>&1 &
  keyring_pid=$!
  trap 'kill -TERM $keyring_pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q 'boolean true' && break
    sleep 0.1
  done
  status=0
  python3 "$here/bench.py" "$@" || status=$?
  exit $status
fi

# --- Outside: extras, build, then the private session ---------------------------------
smoke=0
build_dir=$root/build/bench
pollux=
gui_stall=
work=
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=1; args+=(--smoke --no-fetchmail); shift ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --pollux) pollux=$2; shift 2 ;;
    --gui-stall) gui_stall=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

# The comparison needs fetchmail, Postfix's smtp-sink and GNU time (the smoke check needs none).
if [ $smoke -eq 0 ] && { ! command -v fetchmail >/dev/null || [ ! -x /usr/sbin/smtp-sink ] ||
                          [ ! -x /usr/bin/time ]; }; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then # never start a system-wide Postfix
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  $SUDO apt-get install -y -qq --no-install-recommends fetchmail postfix time || true
  [ $policy_added -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi

if [ -z "$pollux" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPOLLUX_BENCH=ON >/dev/null
  cmake --build "$build_dir" --target pollux gui_stall
  pollux=$build_dir/app/pollux
  gui_stall=$build_dir/bench/gui_stall
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pollux-bench.XXXXXX")
chmod 755 "$tmp"
cleanup() {
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/home"
[ -n "$work" ] || work=$tmp/work
mkdir -p "$work"

# The slow disk: a shim that delays and counts every flush (built here, a second at most).
slowflush=$tmp/slowflush.so
gcc -O2 -shared -fPIC -o "$slowflush" "$here/slowflush.c" -ldl -lpthread || slowflush=

status=0
POLLUX_BENCH_INNER=1 dbus-run-session -- "${BASH_SOURCE[0]}" "$tmp" --pollux "$pollux" \
  --gui-stall "$gui_stall" --slowflush "$slowflush" --work "$(cd "$work" && pwd)" \
  "${args[@]}" || status=$?
exit $status
