#!/usr/bin/env bash
# Builds the Debian package (.deb) of Pollux with CPack from the normal CMake build:
#
#   deploy/package.sh [--no-build] [--build-dir DIR] [--output DIR] [PRESET]
#
#   PRESET       the CMake preset to configure and build (default: "default")
#   --build-dir  package an existing, configured build tree instead of build/<preset>
#                (implies --no-build)
#   --no-build   skip configure and the full build (the binary and the files made for the
#                package are still brought up to date)
#   --output     where the .deb goes (default: BUILD_DIR/package)
#   POLLUX_SKIP_DEPS=1 skips deploy/install-deps.sh.
#
# Prints the path of the .deb as its last line. Install it with
#   sudo apt install ./pollux_<version>-1_amd64.deb
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

build=1
build_dir=
out=
[ "${POLLUX_SKIP_BUILD:-}" = 1 ] && build=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0; shift ;;
    --build-dir) build_dir=$(cd "$2" && pwd); build=0; shift 2 ;;
    --output) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "package.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
preset=${1:-default}

if [ $build -eq 1 ]; then
  [ "${POLLUX_SKIP_DEPS:-}" = 1 ] || "$here/install-deps.sh"
  cd "$root"
  cmake --preset "$preset"
  cmake --build --preset "$preset"
fi
[ -n "$build_dir" ] || build_dir=$root/build/$preset
[ -f "$build_dir/CPackConfig.cmake" ] ||
  { echo "package.sh: $build_dir is not a configured build tree (no CPackConfig.cmake)" >&2; exit 1; }
[ -n "$out" ] || out=$build_dir/package
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A stale package of another version must not be mistaken for this one.
rm -f "$out"/pollux_*.deb
# The files the package needs that are made at build time (compressed man page etc.).
cmake --build "$build_dir" --target pollux pollux_resources >/dev/null
(cd "$build_dir" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) ||
  { cat "$out/cpack.log" >&2; echo "package.sh: cpack failed" >&2; exit 1; }
debs=("$out"/pollux_*.deb)
[ -f "${debs[0]}" ] || { cat "$out/cpack.log" >&2; echo "package.sh: cpack made no .deb" >&2; exit 1; }
echo "${debs[0]}"
