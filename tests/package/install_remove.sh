#!/usr/bin/env bash
# Installs the .deb with dpkg into a throw-away copy of this machine's root, and removes and
# purges it again, asserting what each step leaves behind:
#
#   tests/package/install_remove.sh DEB_OR_FOLDER   (a folder: the one pollux_*.deb in it)
#
# The copy is an overlay (this root read-only below, a temporary folder above) in a private
# mount namespace, entered with chroot: dpkg, the maintainer scripts (adduser,
# dpkg-statoverride) and the triggers run for real, against a copy of the dpkg database,
# and nothing reaches this machine's files. Everything the package did is then in the
# overlay's upper folder, which is what the checks read. Needs root (CI runs as root):
# without it the test is skipped (status 77).
set -euo pipefail

deb=$1
if [ -d "$deb" ]; then
  debs=("$deb"/pollux_*.deb)
  [ ${#debs[@]} -eq 1 ] || { echo "install_remove.sh: want one pollux_*.deb in $deb" >&2; exit 1; }
  deb=${debs[0]}
fi
deb=$(readlink -f "$deb")
[ -f "$deb" ] || { echo "install_remove.sh: no such .deb: $1" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
  echo "install_remove.sh: SKIP: needs root for a mount namespace and chroot"
  exit 77
fi

# --- Inside the namespace --------------------------------------------------------------------
if [ "${POLLUX_PKG_INNER:-}" = 1 ]; then
  tmp=$2
  root=$tmp/merged
  failures=0
  fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
  ok() { echo "ok: $*"; }
  # A clean environment, but a sanitizer build's options (the asan preset's suppressions).
  san=()
  for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
    [ -z "${!v:-}" ] || san+=("$v=${!v}")
  done
  in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "${san[@]}" "$@"; }

  # The upper layer on a tmpfs of its own: overlayfs refuses an upper folder on another
  # overlayfs (a container's root often is one), and it goes with the namespace.
  mount -t tmpfs -o mode=0755 tmpfs "$tmp/layer"
  upper=$tmp/layer/upper
  mkdir -p "$upper" "$tmp/layer/work"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$tmp/layer/work" "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  # Anything below /run belongs to the machine: an empty one, so the maintainer scripts see
  # no running systemd (they would talk to the host's).
  mount -t tmpfs tmpfs "$root/run"
  mkdir -p "$root/tmp/pollux-pkg"
  cp "$deb" "$root/tmp/pollux-pkg/pollux.deb"

  # What is in the root before the package (files a test then must not find left over).
  [ ! -e "$root/usr/bin/pollux" ] || fail "the root has a /usr/bin/pollux already (the host has Pollux installed?)"
  pre_user=0
  in_root getent passwd pollux >/dev/null && pre_user=1

  # Only the package's changes: what the overlay's upper folder holds that this machine does
  # not (a folder of the machine shows there too when something below it changed), and the
  # machine's files changed, minus what is expected.
  leftovers() { # prints the paths that are not allowed ($@: extra allowed regexes)
    local allowed='^/(tmp/pollux-pkg(/.*)?|var/lib/dpkg(/.*)?|var/log/dpkg\.log|var/log/alternatives\.log|var/cache/debconf(/.*)?|etc/(passwd|group|shadow|gshadow|subuid|subgid)-?|etc/\.pwd\.lock|var/cache/man(/.*)?|usr/share/applications/mimeinfo\.cache|usr/share/icons/hicolor(/icon-theme\.cache)?|var/lib/systemd/deb-systemd-helper-enabled(/.*)?)$'
    local extra
    (cd "$upper" && find . -mindepth 1 | sed 's|^\.||') | while read -r f; do
      [[ $f =~ $allowed ]] && continue
      [ -d "$upper$f" ] && [ ! -L "$upper$f" ] && [ -d "$f" ] && continue
      for extra in "$@"; do [[ $f =~ $extra ]] && continue 2; done
      echo "$f"
    done
  }
  # Whiteouts: files of the host that something deleted (outside dpkg's own database).
  whiteouts() {
    (cd "$upper" && find . -type c | sed 's|^\.||' | grep -v -E '^/var/(lib/dpkg|cache/debconf|cache/man)/' || true)
  }
  # The caches the triggers rebuilt must not name Pollux after a remove.
  traces_in_caches() {
    local f
    for f in usr/share/applications/mimeinfo.cache usr/share/icons/hicolor/icon-theme.cache; do
      if [ -f "$upper/$f" ] && grep -q -a 'pollux' "$upper/$f"; then echo "/$f"; fi
    done
  }

  # --- install
  if in_root dpkg -i /tmp/pollux-pkg/pollux.deb >"$tmp/install.log" 2>&1; then
    ok "dpkg -i"
  else
    cat "$tmp/install.log" >&2
    fail "dpkg -i failed"
  fi
  status=$(in_root dpkg-query -W -f='${Status}' pollux 2>/dev/null || true)
  [ "$status" = "install ok installed" ] && ok "dpkg says: $status" || fail "dpkg status after install: '$status'"

  out=$(in_root /usr/bin/pollux --version 2>&1 || true)
  [[ $out =~ ^pollux\ [0-9] ]] && ok "installed pollux --version: $out" || fail "pollux --version said: $out"

  entry=$(in_root getent passwd pollux || true)
  IFS=: read -r _ _ uid _ _ home shell <<<"$entry"
  if [ -n "$entry" ] && [ "$uid" -lt 1000 ] && [ "$home" = /var/lib/pollux ] && [ "$shell" = /usr/sbin/nologin ]; then
    ok "system user: $entry"
  else
    fail "the pollux user: '$entry' (want a system uid, home /var/lib/pollux, shell /usr/sbin/nologin)"
  fi
  in_root getent group pollux >/dev/null && ok "group pollux" || fail "no group pollux"

  check_mode() { # path owner:group mode
    local got
    got=$(in_root stat -c '%U:%G %a' "$1" 2>/dev/null || echo missing)
    [ "$got" = "$2 $3" ] && ok "$1 is $got" || fail "$1 is $got, want $2 $3"
  }
  check_mode /etc/pollux root:pollux 750
  check_mode /etc/pollux/pollux.json root:pollux 640
  check_mode /var/lib/pollux pollux:pollux 750
  check_mode /lib/systemd/system/pollux.service root:root 644
  check_mode /usr/bin/pollux root:root 755

  # The unit as installed: its programs, its man page, its dependencies all there.
  if in_root systemd-analyze verify /lib/systemd/system/pollux.service >"$tmp/verify.log" 2>&1 &&
    [ ! -s "$tmp/verify.log" ]; then
    ok "systemd-analyze verify of the installed unit"
  else
    fail "systemd-analyze verify of the installed unit: $(cat "$tmp/verify.log")"
  fi

  # The service's user reads its configuration, another user cannot; the data folder
  # works for it (a headless pass of the shipped configuration: no accounts yet).
  if in_root setpriv --reuid=pollux --regid=pollux --init-groups /usr/bin/pollux config check \
       --config /etc/pollux/pollux.json >"$tmp/check.log" 2>&1; then
    ok "user pollux: config check of /etc/pollux/pollux.json"
  else
    cat "$tmp/check.log" >&2
    fail "user pollux cannot use /etc/pollux/pollux.json"
  fi
  if in_root setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/pollux config check \
       --config /etc/pollux/pollux.json >"$tmp/check-nobody.log" 2>&1; then
    fail "user nobody could read /etc/pollux/pollux.json"
  else
    ok "user nobody cannot read /etc/pollux/pollux.json ($(head -c 200 "$tmp/check-nobody.log"))"
  fi
  if in_root setpriv --reuid=pollux --regid=pollux --init-groups env HOME=/var/lib/pollux \
       /usr/bin/pollux --headless --once --config /etc/pollux/pollux.json >"$tmp/once.log" 2>&1; then
    ok "user pollux: --headless --once with the shipped configuration"
  else
    cat "$tmp/once.log" >&2
    fail "user pollux: --headless --once with the shipped configuration failed"
  fi
  [ -f "$root/var/lib/pollux/pollux.db" ] && ok "the database is in /var/lib/pollux" ||
    fail "no /var/lib/pollux/pollux.db after a pass: $(ls -la "$root/var/lib/pollux")"

  # The admin changes the configuration (it is theirs now) and enables the service.
  printf '\n' >>"$root/etc/pollux/pollux.json"
  mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
  ln -s /lib/systemd/system/pollux.service "$root/etc/systemd/system/multi-user.target.wants/pollux.service"

  # --- remove: the configuration and the state stay, nothing else
  if in_root dpkg -r pollux >"$tmp/remove.log" 2>&1; then ok "dpkg -r"; else cat "$tmp/remove.log" >&2; fail "dpkg -r failed"; fi
  status=$(in_root dpkg-query -W -f='${Status}' pollux 2>/dev/null || true)
  [ "$status" = "deinstall ok config-files" ] && ok "dpkg says: $status" || fail "dpkg status after remove: '$status'"
  # Conffiles stay until a purge (dpkg), so does the data folder, and the admin's link.
  left=$(leftovers '^/etc/pollux(/pollux\.json)?$' '^/etc/xdg/autostart/pollux\.desktop$' \
    '^/var/lib/pollux(/.*)?$' '^/etc/systemd/system/multi-user\.target\.wants/pollux\.service$')
  [ -z "$left" ] && ok "dpkg -r left only the conffiles, the state and the admin's enable link" ||
    fail "dpkg -r left behind: $(echo "$left" | tr '\n' ' ')"
  [ -f "$root/etc/pollux/pollux.json" ] && ok "the configuration stays" || fail "dpkg -r removed /etc/pollux/pollux.json"
  [ -f "$root/var/lib/pollux/pollux.db" ] && ok "the state stays" || fail "dpkg -r removed /var/lib/pollux"
  w=$(whiteouts)
  [ -z "$w" ] && ok "no file of the host was deleted" || fail "files of the host deleted: $w"
  t=$(traces_in_caches)
  [ -z "$t" ] && ok "no cache names pollux after the remove" || fail "caches still name pollux: $t"

  # --- purge: nothing of ours stays (the system user stays, as usual in Debian)
  if in_root dpkg -P pollux >"$tmp/purge.log" 2>&1; then ok "dpkg -P"; else cat "$tmp/purge.log" >&2; fail "dpkg -P failed"; fi
  status=$(in_root dpkg-query -W -f='${Status}' pollux 2>/dev/null || true)
  [ -z "$status" ] || [ "$status" = "unknown ok not-installed" ] && ok "dpkg no longer knows pollux" ||
    fail "dpkg status after purge: '$status'"
  left=$(leftovers)
  [ -z "$left" ] && ok "dpkg -P left nothing behind" || fail "dpkg -P left behind: $(echo "$left" | tr '\n' ' ')"
  w=$(whiteouts)
  [ -z "$w" ] && ok "no file of the host was deleted" || fail "files of the host deleted: $w"
  overrides=$(in_root dpkg-statoverride --list | grep -E ' /etc/pollux' || true)
  [ -z "$overrides" ] && ok "no statoverride left" || fail "statoverrides left: $overrides"
  if [ $pre_user -eq 0 ]; then
    in_root getent passwd pollux >/dev/null && ok "the system user stays (Debian custom)" ||
      fail "the pollux user vanished on purge"
  fi

  # --- purge with mail still in the spool: the data folder stays, and the purge says so
  in_root dpkg -i /tmp/pollux-pkg/pollux.deb >"$tmp/install2.log" 2>&1 ||
    { cat "$tmp/install2.log" >&2; fail "second dpkg -i failed"; }
  [ -d "$root/var/lib/pollux" ] || fail "no /var/lib/pollux after reinstalling"
  mkdir -p "$root/var/lib/pollux/spool/office"
  echo "Subject: waiting" >"$root/var/lib/pollux/spool/office/1.eml"
  in_root dpkg -P pollux >"$tmp/purge2.log" 2>&1 || { cat "$tmp/purge2.log" >&2; fail "second dpkg -P failed"; }
  [ -f "$root/var/lib/pollux/spool/office/1.eml" ] && ok "a purge keeps a spool that holds mail" ||
    fail "a purge deleted mail waiting in the spool"
  grep -q "/var/lib/pollux is kept" "$tmp/purge2.log" && ok "and says so" ||
    fail "the purge did not say it kept /var/lib/pollux: $(cat "$tmp/purge2.log")"
  [ ! -e "$root/etc/pollux" ] && ok "/etc/pollux went with the purge" || fail "/etc/pollux stays after purge"

  echo "failures: $failures"
  [ $failures -eq 0 ]
  exit
fi

# --- Outside: a temporary folder, then the namespace -----------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pollux-pkg-root.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/layer" "$tmp/merged"
# The mounts vanish with the namespace when the inner shell ends.
POLLUX_PKG_INNER=1 unshare --mount --propagation private -- "${BASH_SOURCE[0]}" "$deb" "$tmp"
