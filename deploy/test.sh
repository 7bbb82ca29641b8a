#!/usr/bin/env bash
# The test command: installs dependencies, builds with a CMake preset and runs ctest inside a
# private D-Bus session with a throw-away, unlocked GNOME Keyring (so the keychain tests use a
# real Secret Service without touching yours).
#
#   deploy/test.sh [--no-build] [--build-dir DIR] [PRESET] [CTEST ARGS...]
#
#   PRESET       default (RelWithDebInfo), ci (warnings are errors) or asan (ASan + UBSan);
#                default: "default"
#   CTEST ARGS   passed to ctest, e.g. -L unit, -L integration, -R pop3, -j4
#   --no-build   skip configure and build (also: POLLUX_SKIP_BUILD=1)
#   --build-dir  run the tests of an existing build tree instead of the preset's build/<preset>
#                (implies --no-build)
#   POLLUX_SKIP_DEPS=1 skips deploy/install-deps.sh.
#
# Exit status: ctest's.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

# --- Inside dbus-run-session: start the keyring, run ctest ---------------------------------
if [ "${POLLUX_TEST_INNER:-}" = 1 ]; then
  unset POLLUX_TEST_INNER
  tmp=$1
  shift
  keyring_pid=
  stop_keyring() {
    if [ -n "$keyring_pid" ] && kill -0 "$keyring_pid" 2>/dev/null; then
      kill -TERM "$keyring_pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$keyring_pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$keyring_pid" 2>/dev/null || true
    fi
  }
  trap stop_keyring EXIT

  # Everything the keyring (and the tests) write goes to the temporary directory.
  export HOME=$tmp/home
  export XDG_DATA_HOME=$tmp/home/.local/share
  export XDG_CONFIG_HOME=$tmp/home/.config
  export XDG_CACHE_HOME=$tmp/home/.cache
  export XDG_RUNTIME_DIR=$tmp/runtime
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  # Never reach a desktop session's keyring, agent or display.
  unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK DISPLAY WAYLAND_DISPLAY
  export QT_QPA_PLATFORM=offscreen
  export POLLUX_TEST_KEYRING=1

  # --unlock reads the new login keyring's password from stdin.
  printf 'pollux-test' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$tmp/keyring.log" 2>&1 &
  keyring_pid=$!
  ready=0
  for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
       grep -q 'boolean true'; then
      ready=1
      break
    fi
    kill -0 "$keyring_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ $ready -ne 1 ]; then
    echo "test.sh: gnome-keyring-daemon did not start:" >&2
    cat "$tmp/keyring.log" >&2
    exit 1
  fi

  status=0
  ctest "$@" || status=$?
  exit $status
fi

# --- Outside: dependencies, build, then the private session --------------------------------
build=1
build_dir=
[ "${POLLUX_SKIP_BUILD:-}" = 1 ] && build=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0; shift ;;
    --build-dir) build_dir=$(cd "$2" && pwd); build=0; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
preset=default
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  preset=$1
  shift
fi

[ "${POLLUX_SKIP_DEPS:-}" = 1 ] || "$here/install-deps.sh"

cd "$root"
if [ $build -eq 1 ]; then
  cmake --preset "$preset"
  cmake --build --preset "$preset"
fi

if [ -n "$build_dir" ]; then
  ctest_args=(--test-dir "$build_dir" --output-on-failure "$@")
else
  ctest_args=(--preset "$preset" "$@")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pollux-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"

status=0
POLLUX_TEST_INNER=1 dbus-run-session -- "${BASH_SOURCE[0]}" "$tmp" "${ctest_args[@]}" || status=$?
exit $status
