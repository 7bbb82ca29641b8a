#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang in their own build directory and
# runs one of them. Needs clang and Debian's libclang-rt-14-dev (libFuzzer, ASan, UBSan);
# installs them if missing (root or sudo).
#
#   deploy/fuzz.sh [target] [seconds] [build-dir]
#   deploy/fuzz.sh fuzz_recipients 600
# Targets: fuzz_recipients (default), fuzz_smtpreply, fuzz_pop3, fuzz_imap. Findings (crash-*, leak-*)
# land in <build-dir>/fuzz-findings/<target>; the working corpus in <build-dir>/fuzz-corpus.
set -euo pipefail

target=${1:-fuzz_recipients}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build/fuzz}

need=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The code under test is instrumented for coverage (fuzzer-no-link) and checked by ASan and
# UBSan; the harnesses add the libFuzzer main.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g -O1"
cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
  -DPOLLUX_FUZZ=ON >/dev/null
cmake --build "$build" --target "$target"

name=${target#fuzz_}
corpus="$build/fuzz-corpus/$name"
findings="$build/fuzz-findings/$target"
mkdir -p "$corpus" "$findings"
cp -n "$root/tests/fuzz/corpus/$name/"* "$corpus/" 2>/dev/null || true
dict=()
[ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")

export ASAN_OPTIONS=${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$build/tests/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" "$corpus"
