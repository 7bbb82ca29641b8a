#!/usr/bin/env bash
# A short run of every libFuzzer harness (CI): builds them once (deploy/fuzz.sh, clang,
# ASan + UBSan, its own build directory) and runs each for SECONDS (default 20). Fails on
# the first finding; the input that triggered it is in <build-dir>/fuzz-findings/<target>.
#
#   tests/fuzz/run-smoke.sh [SECONDS] [BUILD-DIR]
# Long runs, one harness at a time: deploy/fuzz.sh fuzz_imap 600
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-20}
build=${2:-$root/build/fuzz}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in fuzz_recipients fuzz_smtpreply fuzz_pop3 fuzz_imap fuzz_control; do
  echo "== $target, $seconds s"
  status=0
  "$root/deploy/fuzz.sh" "$target" "$seconds" "$build" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|Done |==[0-9]+==ERROR|SUMMARY|artifact_prefix)' "$log" || true
  if [ $status -ne 0 ]; then
    tail -50 "$log" >&2
    echo "run-smoke: $target failed (status $status)" >&2
    exit 1
  fi
done
