<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/TrayApp.cpp" line="32"/>
        <source>Pollux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="33"/>
        <source>The configuration %1 cannot be used:
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::TrayIcon</name>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="14"/>
        <source>Poll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="16"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="42"/>
        <source>Polling %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="49"/>
        <source>Polling %1: %2 of %3 messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="58"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="82"/>
        <source>Pollux: idle, last pass at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="84"/>
        <source>Pollux: idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="88"/>
        <source>Pollux: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="92"/>
        <source>Pollux: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
