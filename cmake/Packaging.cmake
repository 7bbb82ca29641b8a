# The Debian package: `cpack -G DEB` in a build tree (deploy/package.sh does it).
# Files come from the install() rules (app/, resources/); dependencies are computed from
# the binary with dpkg-shlibdeps, plus the Qt plugins it loads at run time.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pollux)
set(CPACK_PACKAGE_VENDOR "The Pollux maintainers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Pollux maintainers <maintainers@users.noreply.r-seed-9fa55267.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "collects office mail from POP3/IMAP mailboxes for the office mail server")
set(CPACK_PACKAGE_DESCRIPTION
  "Pollux collects the mail of a small office from the mailboxes at its provider
(POP3, POP3-SSL, IMAP, IMAP-SSL, with STARTTLS) and hands every message to the
office's own mail server (Exchange, Postfix, Kerio, ...) over SMTP, without
losing or duplicating a message. Catch-all mailboxes are distributed by their
headers to the local recipients.
.
It runs in the system tray, or as the hardened system service pollux.service
that keeps collecting when nobody is logged in.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://pollux.github.io/")

# Everything under /usr, except the unit (/lib/systemd/system) and /etc: absolute
# destinations, so the files are staged with DESTDIR.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so dpkg-shlibdeps cannot see them: the SQLite driver (always), the
# postinst's adduser; the tray's platform plugins and the Qt translations.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, qt6-translations-l10n, gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/resources/debian/conffiles"
  "${PROJECT_SOURCE_DIR}/resources/debian/postinst"
  "${PROJECT_SOURCE_DIR}/resources/debian/prerm"
  "${PROJECT_SOURCE_DIR}/resources/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
