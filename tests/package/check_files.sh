#!/usr/bin/env bash
# Checks the files of the .deb with Debian's own tools:
#
#   tests/package/check_files.sh CHECK DEB_DIR
#
#   CHECK  lintian    lintian reports no error (warnings are printed)
#          appstream  appstreamcli validate passes on the metainfo
#          desktop    desktop-file-validate passes on the menu entry and the autostart entry
#          unit       systemd-analyze verify passes on the unit
#          security   systemd-analyze security rates the unit 2.0 or lower ("OK"), and
#                     rates a unit without the hardening above that (the check can fail)
#   DEB_DIR  the folder with the one pollux_*.deb (the package_deb test makes it)
set -euo pipefail

check=$1
debs=("$2"/pollux_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] ||
  { echo "check_files.sh: want one pollux_*.deb in $2, found: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pollux-pkg-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
dpkg-deb -x "$deb" "$root"
unit=$root/lib/systemd/system/pollux.service

need() { command -v "$1" >/dev/null || { echo "check_files.sh: $1 is missing (deploy/install-deps.sh installs it)" >&2; exit 1; }; }

case $check in
lintian)
  need lintian
  # (lintian warns when run as root, as CI does; that is all it says about it.)
  status=0
  lintian --tag-display-limit 0 --fail-on error "$deb" >"$tmp/lintian.txt" 2>&1 || status=$?
  cat "$tmp/lintian.txt"
  if grep -q '^E: ' "$tmp/lintian.txt" || [ $status -ne 0 ]; then
    echo "FAIL: lintian reports errors (status $status)" >&2
    exit 1
  fi
  echo "ok: lintian: no errors"
  ;;
appstream)
  need appstreamcli
  appstreamcli validate --no-net --explain "$root"/usr/share/metainfo/io.github.pollux.Pollux.metainfo.xml
  echo "ok: appstreamcli validate"
  ;;
desktop)
  need desktop-file-validate
  for f in "$root"/usr/share/applications/io.github.pollux.Pollux.desktop "$root"/etc/xdg/autostart/pollux.desktop; do
    out=$(desktop-file-validate "$f" 2>&1) || { echo "$out" >&2; echo "FAIL: desktop-file-validate $f" >&2; exit 1; }
    # It prints hints and warnings with status 0: none is wanted.
    [ -z "$out" ] || { echo "$out" >&2; echo "FAIL: desktop-file-validate has remarks on $f" >&2; exit 1; }
    echo "ok: desktop-file-validate ${f#"$root"}"
  done
  ;;
unit)
  need systemd-analyze
  # Outside an installed system: the unit as packaged, its ExecStart pointed at the packaged
  # binary (the man page is lintian's; install_remove.sh verifies the installed unit as is).
  [ -x "$root/usr/bin/pollux" ] || { echo "FAIL: no usr/bin/pollux in the package" >&2; exit 1; }
  mkdir -p "$tmp/verify"
  sed "s|^ExecStart=/usr/bin/pollux |ExecStart=$root/usr/bin/pollux |" "$unit" >"$tmp/verify/pollux.service"
  grep -q "^ExecStart=$root/usr/bin/pollux " "$tmp/verify/pollux.service" ||
    { echo "FAIL: the unit's ExecStart is not /usr/bin/pollux ..." >&2; exit 1; }
  out=$(systemd-analyze verify --man=no "$tmp/verify/pollux.service" 2>&1) ||
    { echo "$out" >&2; echo "FAIL: systemd-analyze verify" >&2; exit 1; }
  [ -z "$out" ] || { echo "$out" >&2; echo "FAIL: systemd-analyze verify has remarks" >&2; exit 1; }
  echo "ok: systemd-analyze verify"
  ;;
security)
  need systemd-analyze
  exposure() { # unit folder -> the overall exposure level, e.g. 1.1
    systemd-analyze security --offline=true --root="$1" pollux.service 2>&1 |
      sed -n 's/.*Overall exposure level for pollux\.service: \([0-9.]*\).*/\1/p'
  }
  level=$(exposure "$root")
  systemd-analyze security --offline=true --root="$root" pollux.service | grep -v '^✓' || true
  [ -n "$level" ] || { echo "FAIL: systemd-analyze security gave no exposure level" >&2; exit 1; }
  awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' ||
    { echo "FAIL: exposure $level is over 2.0" >&2; exit 1; }
  systemd-analyze security --offline=true --threshold=20 --root="$root" pollux.service >/dev/null ||
    { echo "FAIL: systemd-analyze security --threshold=20 refused the unit" >&2; exit 1; }
  echo "ok: exposure $level (at most 2.0)"
  # The same measurement of the unit without its hardening lines must fail it.
  bare=$tmp/bare
  mkdir -p "$bare/lib/systemd/system"
  grep -E '^(\[|Description|Type|User|Group|ExecStart|ExecReload|Restart|WantedBy)' "$unit" \
    >"$bare/lib/systemd/system/pollux.service"
  bare_level=$(exposure "$bare")
  awk -v l="$bare_level" 'BEGIN { exit !(l > 2.0) }' ||
    { echo "FAIL: the unhardened unit rates $bare_level: the measurement cannot tell" >&2; exit 1; }
  echo "ok: without the hardening it would be $bare_level"
  ;;
*)
  echo "check_files.sh: unknown check $check" >&2
  exit 2
  ;;
esac
