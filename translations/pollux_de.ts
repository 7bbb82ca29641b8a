<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/TrayApp.cpp" line="32"/>
        <source>Pollux</source>
        <translation>Pollux</translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="33"/>
        <source>The configuration %1 cannot be used:
%2</source>
        <translation>Die Konfiguration %1 kann nicht verwendet werden:
%2</translation>
    </message>
</context>
<context>
    <name>pollux::ui::TrayIcon</name>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="14"/>
        <source>Poll now</source>
        <translation>Jetzt abrufen</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="16"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="42"/>
        <source>Polling %1</source>
        <translation>Rufe %1 ab</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="49"/>
        <source>Polling %1: %2 of %3 messages</source>
        <translation>Rufe %1 ab: %2 von %3 Nachrichten</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="58"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="82"/>
        <source>Pollux: idle, last pass at %1</source>
        <translation>Pollux: bereit, letzter Abruf um %1</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="84"/>
        <source>Pollux: idle</source>
        <translation>Pollux: bereit</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="88"/>
        <source>Pollux: %1</source>
        <translation>Pollux: %1</translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="92"/>
        <source>Pollux: error: %1</source>
        <translation>Pollux: Fehler: %1</translation>
    </message>
</context>
</TS>
