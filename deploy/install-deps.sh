#!/usr/bin/env bash
# Installs everything Pollux needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libgl-dev qtkeychain-qt6-dev
  # catch-all routing: RFC 5322 address parsing, LDAP directory lookups
  libgmime-3.0-dev libldap-dev
  # runtime of the tray app (and German for Qt's own dialogs and buttons)
  qt6-qpa-plugins qt6-translations-l10n
  # test fixtures: real servers, a real keyring, a display
  dovecot-core dovecot-pop3d dovecot-imapd
  # a second, independent POP3/IMAP server (GNU Mailutils; crypt(3) for its passwd file)
  mailutils-pop3d mailutils-imap4d libcrypt-dev
  python3 python3-aiosmtpd openssl
  slapd ldap-utils
  postfix
  dbus dbus-x11 gnome-keyring libsecret-tools
  xvfb xauth
  procps
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
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
