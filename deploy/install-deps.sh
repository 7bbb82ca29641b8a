#!/usr/bin/env bash
# Installs everything Pollux needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-networkauth-dev
  libqt6sql6-sqlite libgl-dev qtkeychain-qt6-dev
  # catch-all routing: RFC 5322 address parsing, LDAP directory lookups
  libgmime-3.0-dev libldap-dev
  # runtime of the tray app (and German for Qt's own dialogs and buttons)
  qt6-qpa-plugins qt6-translations-l10n
  # test fixtures: real servers, a real keyring, a display
  dovecot-core dovecot-pop3d dovecot-imapd
  # a second, independent POP3/IMAP server (GNU Mailutils; crypt(3) for its passwd file)
  mailutils-pop3d mailutils-imap4d libcrypt-dev
  # a third one, Cyrus IMAP: master, tools and libraries (its imapd/pop3d are unpacked below),
  # saslpasswd2 for its private user database
  cyrus-common sasl2-bin
  python3 python3-aiosmtpd openssl
  slapd ldap-utils
  postfix
  dbus dbus-x11 gnome-keyring libsecret-tools
  xvfb xauth
  procps
  # the Debian package (deploy/package.sh) and its checks (tests/package): lintian, the
  # AppStream and desktop-entry validators; systemd-analyze comes with systemd
  dpkg-dev lintian appstream desktop-file-utils systemd adduser
  # the OAuth2 authorization server of the tests (oidc-provider from npm, below)
  nodejs
)

# Servers that conflict with packages above (cyrus-imapd/-pop3d with Dovecot and Mailutils as
# imap-server/pop3-server, exim4 with postfix as mail-transport-agent) are not installed: their
# .debs are downloaded and unpacked into a private folder that the test fixtures run them from
# (tests/support/CyrusServer.h, EximServer.h). Their libraries are installed normally.
cache=${POLLUX_TEST_PKG_CACHE:-/var/cache/pollux-test}
unpacked=(
  "cyrus:cyrus-imapd cyrus-pop3d"
  "exim:exim4-daemon-light exim4-base exim4-config"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  # Services shipped by these packages must not start system-wide: tests run their own.
  export DEBIAN_FRONTEND=noninteractive
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  trap '[ $policy_added -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  # postfix: only the tests' private instances run (tests/support/PostfixServer.h); no system config.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for entry in "${unpacked[@]}"; do
  dir="$cache/${entry%%:*}"
  read -r -a debs <<<"${entry#*:}"
  # Re-unpack when the archive has other versions than the ones unpacked.
  want=$(apt-cache show --no-all-versions "${debs[@]}" | awk '/^(Package|Version):/ {printf "%s ", $2}')
  if [ -f "$dir/.pollux-unpacked" ] && [ "$(cat "$dir/.pollux-unpacked")" = "$want" ]; then
    continue
  fi
  echo "Unpacking into $dir: ${debs[*]}"
  # Their libraries, those not installed yet (installed ones are left at their version).
  libs=()
  for lib in $(apt-cache depends --no-recommends --no-suggests "${debs[@]}" |
    awk '$1 == "Depends:" && $2 ~ /^lib/ {print $2}' | sort -u); do
    dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q '^install ok installed' ||
      libs+=("$lib")
  done
  if [ ${#libs[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${libs[@]}"
  fi
  tmp=$(mktemp -d)
  chmod 0777 "$tmp"
  (cd "$tmp" && apt-get download "${debs[@]}")
  $SUDO rm -rf "$dir"
  $SUDO mkdir -p "$dir"
  for deb in "$tmp"/*.deb; do
    $SUDO dpkg-deb -x "$deb" "$dir"
  done
  rm -rf "$tmp"
  echo "$want" | $SUDO tee "$dir/.pollux-unpacked" >/dev/null
done

# Exim looks up its compiled-in user before it reads any configuration; exim4-base's postinst
# would add it, but the package is only unpacked.
if ! getent passwd Debian-exim >/dev/null; then
  $SUDO adduser --system --group --quiet --allow-bad-names --home /var/spool/exim4 \
    --no-create-home Debian-exim
fi

# The OAuth2 tests' authorization server: oidc-provider (tests/fixtures/oidc/server.js), from
# the npm registry at the version pinned in tests/fixtures/oidc/package-lock.json, installed
# into $cache/oidc/node_modules (tests/support/OidcServer.h looks there). Debian's npm package
# is installed only when the nodejs at hand brings no npm of its own.
oidc_src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/fixtures/oidc"
oidc_dir="$cache/oidc"
if ! command -v npm >/dev/null; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
if ! cmp -s "$oidc_src/package-lock.json" "$oidc_dir/package-lock.json" ||
  [ ! -f "$oidc_dir/node_modules/oidc-provider/package.json" ]; then
  echo "Installing oidc-provider into $oidc_dir"
  $SUDO rm -rf "$oidc_dir"
  $SUDO mkdir -p "$oidc_dir"
  $SUDO cp "$oidc_src/package.json" "$oidc_src/package-lock.json" "$oidc_dir/"
  (cd "$oidc_dir" && $SUDO npm ci --no-audit --no-fund --ignore-scripts --omit=dev)
fi
