#!/usr/bin/env bash
# Renders every window and dialog of the desktop app in English and German, at 100% and 200%
# scaling, under Xvfb, into PNG files:
#
#   tests/gui/screenshots.sh [BUILD_DIR] [OUTPUT_DIR]
#
#   BUILD_DIR   a configured build tree (default: build/default); pollux_screenshots is built
#   OUTPUT_DIR  default: build/screenshots (not committed)
#
# Files: OUTPUT_DIR/<lang>-<scale>x/<window>.png
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/default}
out=${2:-$root/build/screenshots}

cmake --build "$build" --target pollux_screenshots
exe=$(find "$build" -type f -name pollux_screenshots -perm -u+x | head -n 1)
[ -n "$exe" ] || { echo "screenshots.sh: pollux_screenshots not found in $build" >&2; exit 1; }

command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is missing (package xvfb)" >&2; exit 1; }

# No desktop session: no keyring, no real display, a private runtime directory.
runtime=$(mktemp -d "${TMPDIR:-/tmp}/pollux-shots.XXXXXX")
trap 'rm -rf "$runtime"' EXIT
chmod 700 "$runtime"

status=0
for lang in en de; do
  for scale in 1 2; do
    dir="$out/$lang-${scale}x"
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "== $lang, scale $scale -> $dir"
    env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
      XDG_RUNTIME_DIR="$runtime" QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR="$scale" \
      LANG="$lang.UTF-8" LANGUAGE="$lang" \
      xvfb-run -a -s "-screen 0 3000x2200x24" "$exe" "$dir" "$lang" >/dev/null || status=1
    ls "$dir" | sed 's/^/   /'
  done
done
exit $status
