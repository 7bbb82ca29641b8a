<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ErrorText</name>
    <message>
        <location filename="../ui/ErrorText.cpp" line="47"/>
        <source>details in the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="55"/>
        <source>The server said: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="65"/>
        <source>Everything worked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="68"/>
        <source>The server name “%1” could not be found. Check the spelling of the server name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="71"/>
        <source>The server name could not be found. Check the spelling of the server name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="74"/>
        <source>The server %1 refused the connection on port %2. Check the server name, the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="77"/>
        <source>The server refused the connection. Check the server name, the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="81"/>
        <source>The network connection to the server %1 was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="82"/>
        <source>The network connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="85"/>
        <source>The server %1 did not answer in time on port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="86"/>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="89"/>
        <source>No secure connection could be made to the server %1 on port %2: the server&apos;s certificate is not trusted, or the encryption failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="92"/>
        <source>No secure connection could be made: the server&apos;s certificate is not trusted, or the encryption failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="96"/>
        <source>The server %1 answered on port %2 in a way Pollux does not understand. Check the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="99"/>
        <source>The server answered in a way Pollux does not understand. Check the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="102"/>
        <source>The server sent an unexpectedly long line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="104"/>
        <source>The server refused the username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="106"/>
        <source>The server reported an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="109"/>
        <source>The mailbox is locked: another program is collecting its mail right now. Pollux will try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="111"/>
        <source>The server is temporarily unavailable. Pollux will try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="113"/>
        <source>Pollux could not write to its spool or database on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="115"/>
        <source>The settings are not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="121"/>
        <source>No password is stored in the keychain for the account “%1”. Open Settings… from the tray menu, edit the account on the POP3/IMAP page, enter its password and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="126"/>
        <source>No password is stored in the keychain for the office mail server. Open Settings… from the tray menu, enter it on the Mail server page and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="130"/>
        <source>No password is stored in the keychain for the directory. Open Settings… from the tray menu, enter it on the Mail server page and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="133"/>
        <source>No password is stored for this account yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="135"/>
        <source>The password could not be read from or written to the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="137"/>
        <source>The operation was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="139"/>
        <source>A message arrived incomplete or not as the server announced it. It stays on the server and was not collected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="142"/>
        <source>Sign-in needed: the provider no longer accepts this account&apos;s sign-in. Open the account and choose Sign in again. Mail stays on the server until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="146"/>
        <source>An unknown error occurred.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="180"/>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="181"/>
        <source>STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="182"/>
        <source>not encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ErrorText.cpp" line="185"/>
        <source>Access works: logged in successfully. %n message(s) waiting (%1).</source>
        <translation type="unfinished">
            <numerusform>Access works: logged in successfully. %n message waiting (%1).</numerusform>
            <numerusform>Access works: logged in successfully. %n messages waiting (%1).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="189"/>
        <location filename="../ui/ErrorText.cpp" line="201"/>
        <source>Connected to %1, port %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="194"/>
        <source>No password is stored in the keychain for this account yet: enter it in the Password field and test again (OK stores it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="202"/>
        <source>Tried to connect to %1, port %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="205"/>
        <source>The server presented a certificate with the SHA-256 fingerprint %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HumanTerms</name>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="10"/>
        <source>Refused messages (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="12"/>
        <source>Too large (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="21"/>
        <source>Messages the office mail server refused for good, and messages Pollux cannot deliver at all (a mail loop, or no postmaster for mail without a known recipient).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="25"/>
        <source>Messages the office mail server refused because they are larger than it accepts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="38"/>
        <source>Active Directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HumanTerms.cpp" line="41"/>
        <source>OpenLDAP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageBox</name>
    <message>
        <location filename="../ui/MessageBox.cpp" line="31"/>
        <source>&amp;Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MessageBox.cpp" line="32"/>
        <source>&amp;No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/TrayApp.cpp" line="65"/>
        <location filename="../ui/TrayApp.cpp" line="101"/>
        <location filename="../ui/TrayApp.cpp" line="128"/>
        <source>Pollux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="66"/>
        <source>A Pollux service runs on this machine, but it does not let this user attach to it:
%1

Ask an admin to add you to the group &quot;pollux&quot;. This tray closes now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="102"/>
        <source>The configuration %1 cannot be used:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="126"/>
        <source>of unknown number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="129"/>
        <source>Another Pollux (process %1) is already working in the data folder %2.

This one closes now. Stop the other one first, or give this configuration its own data folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::AlertText</name>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="65"/>
        <source>The server&apos;s name could not be found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="67"/>
        <source>The server refused the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="69"/>
        <source>The network connection failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="71"/>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="73"/>
        <source>The secure connection (TLS) could not be established.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="77"/>
        <source>The server answered in a way Pollux does not understand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="80"/>
        <source>The server refused the user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="83"/>
        <source>The server reported an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="86"/>
        <source>The server is temporarily unable to serve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="89"/>
        <source>Pollux could not write to its data folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="91"/>
        <source>The settings are not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="93"/>
        <source>The password could not be read from the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="96"/>
        <source>The work was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="98"/>
        <source>A message arrived incomplete and was not collected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="101"/>
        <source>The sign-in must be renewed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="110"/>
        <source>Last error: %1 (code: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="130"/>
        <source>Details: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="132"/>
        <location filename="../core/engine/AlertText.cpp" line="196"/>
        <location filename="../core/engine/AlertText.cpp" line="235"/>
        <source>The server said: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="140"/>
        <source>This alert was sent by Pollux at most once a day for each condition. Alerts are set on the General page of the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="152"/>
        <source>Pollux: mailbox &apos;%1&apos; failing since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="154"/>
        <source>Pollux has not been able to collect mail from the mailbox &apos;%1&apos; since %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="159"/>
        <source>Mail for this mailbox stays at the provider and is not lost. What to do: open Pollux, select the mailbox and use &quot;Test access&quot;; check the server name, the user name and the password, and whether the provider reports a fault.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="173"/>
        <source>Pollux: mailbox &apos;%1&apos; works again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="174"/>
        <source>The mailbox &apos;%1&apos; works again: mail was collected at %2. It had been failing since %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="187"/>
        <source>Pollux: sign-in needed for &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="188"/>
        <source>The mail provider no longer accepts the stored sign-in of the mailbox &apos;%1&apos; (since %2). Pollux collects no mail from it until someone signs in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="198"/>
        <source>What to do: open Pollux on this computer, select the mailbox and choose &quot;Sign in again&quot;. Mail waits at the provider meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="210"/>
        <source>Pollux: &apos;%1&apos; is signed in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="211"/>
        <source>The mailbox &apos;%1&apos; is signed in again (%2); Pollux collects its mail again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="224"/>
        <source>Pollux: a message of &apos;%1&apos; was quarantined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="227"/>
        <source>A message collected from the mailbox &apos;%1&apos; was not delivered (%2); it is kept in quarantine%3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="237"/>
        <source>What to do: open the activity window of Pollux, look at the refused messages, and deliver them again or discard them. Further quarantined messages today are not alerted again; the postmaster gets a notice for each one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="252"/>
        <source>Pollux: mail queue full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="253"/>
        <source>Pollux holds %1 of mail waiting for the office mail server; the limit is %2 (%3). New mail is left at the provider until deliveries make room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../core/engine/AlertText.cpp" line="261"/>
        <source>Mailbox &apos;%1&apos;: %n new message(s) left at the provider.</source>
        <translation>
            <numerusform>Mailbox &apos;%1&apos;: %n new message left at the provider.</numerusform>
            <numerusform>Mailbox &apos;%1&apos;: %n new messages left at the provider.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="267"/>
        <source>What to do: check that the office mail server accepts mail (Pollux shows its state), or raise the spool limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="277"/>
        <source>Pollux: mail queue has room again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="278"/>
        <source>The mail waiting for the office mail server is below the limit again (%1; full since %2). New mail is collected again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="291"/>
        <source>Pollux: office mail server was unreachable %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="294"/>
        <source>Pollux could not deliver to the office mail server from %1 to %2. It works again: this message came through it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="299"/>
        <source>Mail collected meanwhile waited in Pollux and is being delivered now; nothing was lost. If this happens often, check the office mail server and the network between.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="310"/>
        <source>Pollux: test alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/engine/AlertText.cpp" line="311"/>
        <source>This is a test of the alerts by e-mail, sent at %1. If it reached you, Pollux can tell you when a mailbox fails, a sign-in is needed, a message is quarantined, the mail queue is full or the office mail server was unreachable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountAdvanced</name>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="20"/>
        <source>Use STARTTLS (encrypt before logging in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="21"/>
        <source>Allow the password to be sent unencrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="23"/>
        <source>Use APOP when the server offers it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="24"/>
        <source>Stay connected (IMAP IDLE): collect new mail at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="26"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="26"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="27"/>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="27"/>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="28"/>
        <source>Defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="28"/>
        <source>Detect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="49"/>
        <source>Reads the headers of the newest messages in the mailbox (nothing is deleted or marked) and proposes the envelope headers and the provider&apos;s hosts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="52"/>
        <source>e.g. mx1.provider.example, imap.provider.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="54"/>
        <source>Catch-all mailboxes: your provider&apos;s own mail servers, separated by commas. Envelope headers count only where these servers wrote them; without any, only what stands above the topmost Received: header counts. A domain stands for every server below it: list only names no other customer of the provider can use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="60"/>
        <source>Automatic (the strongest the server offers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="61"/>
        <source>USER/PASS (POP3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="62"/>
        <source>APOP (POP3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="63"/>
        <source>LOGIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="64"/>
        <source>PLAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="65"/>
        <source>CRAM-MD5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="66"/>
        <source>SCRAM-SHA-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="67"/>
        <source>SCRAM-SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="68"/>
        <source>XOAUTH2 (the password is an access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="69"/>
        <source>OAUTHBEARER (the password is an access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="74"/>
        <source>empty: only certificates that verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="75"/>
        <source>SHA-256 fingerprint of a certificate to trust although it does not verify, e.g. a self-signed one (64 hex digits).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="77"/>
        <source>Catch-all mailboxes: the headers your provider adds with the real recipient, most trusted first. The first one present decides where a message goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="95"/>
        <source>Authentication method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="99"/>
        <source>IMAP folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="100"/>
        <source>Trusted certificate fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="101"/>
        <source>Envelope headers to trust:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="102"/>
        <source>Provider&apos;s mail servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="121"/>
        <source>X-New-Header</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountAuthentication</name>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="18"/>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="22"/>
        <source>App-only access (no user signs in; needs the client secret)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="38"/>
        <source>The client (application) ID of your own app registration with the provider (see docs/OAUTH.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="40"/>
        <source>organizations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="41"/>
        <source>Your Microsoft 365 directory (tenant) ID or a domain like contoso.onmicrosoft.com; “organizations” lets any work or school account sign in. App-only access needs your own tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="44"/>
        <source>https://login.provider.example/authorize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="45"/>
        <source>https://login.provider.example/token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="46"/>
        <source>empty: no sign-in on another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="47"/>
        <source>The permissions to ask for, separated by spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="52"/>
        <source>Sign-in method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="53"/>
        <source>Client ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="54"/>
        <source>Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="55"/>
        <source>Client secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="56"/>
        <source>Authorization URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="57"/>
        <source>Token URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="58"/>
        <source>Device URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="59"/>
        <source>Scopes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="79"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="81"/>
        <source>Microsoft 365</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="83"/>
        <source>Google</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="85"/>
        <source>Other OAuth2 provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="87"/>
        <source>Microsoft 365 app-only (no user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="152"/>
        <source>Required by this provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAuthentication.cpp" line="153"/>
        <source>Optional: only if your app registration has one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountDialog</name>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="43"/>
        <source>Test access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="45"/>
        <source>Trust this certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="47"/>
        <source>POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="57"/>
        <source>Server type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="59"/>
        <source>POP3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="60"/>
        <source>POP3-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="61"/>
        <source>IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="62"/>
        <source>IMAP-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="72"/>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="75"/>
        <source>How this account appears in the list, the activity and the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="86"/>
        <source>Account name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="87"/>
        <source>Servername:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="89"/>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="90"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="91"/>
        <source>Sign-in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="92"/>
        <source>IP portnumber:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="96"/>
        <source>Type of mailbox / distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="98"/>
        <source>Catch-all mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="99"/>
        <source>Catch-all mailbox – re-route mail to unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="100"/>
        <source>Single user mailbox, all mail goes to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="107"/>
        <source>user@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="109"/>
        <source>Don&apos;t forget to add your local domains to the Accepted Recipient Domains box on the POP3/IMAP page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="122"/>
        <source>Delete / keep email on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="124"/>
        <source>Delete downloaded email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="125"/>
        <source>Leave a copy of downloaded email (indefinitely)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="126"/>
        <source>Leave a copy of downloaded email for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="83"/>
        <source>How long to wait for a server that does not answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="93"/>
        <source>Timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="145"/>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="187"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="188"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="321"/>
        <source>Add POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="321"/>
        <source>Edit POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="390"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="413"/>
        <source>Trust this certificate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="414"/>
        <source>Trust the certificate with this SHA-256 fingerprint for this account?

%1

Only do this if you know the server uses its own (self-signed) certificate, ideally after comparing the fingerprint with the one your provider gives you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="423"/>
        <source>The certificate will be trusted. Test access again to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="437"/>
        <source>Please wait until the password has been loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="442"/>
        <source>Please finish or cancel the sign-in first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="28"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="59"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="61"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="63"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="65"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="285"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="287"/>
        <source>Account name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="59"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="285"/>
        <source>enter a name for this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="61"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="287"/>
        <source>the name must not contain “/”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="63"/>
        <source>the name must not contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="66"/>
        <source>another account is already called “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="69"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="71"/>
        <source>Servername</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="69"/>
        <source>enter the name or IP address of the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="71"/>
        <source>the server name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="74"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="74"/>
        <source>enter the username for the mail server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="78"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="81"/>
        <source>Single user mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="79"/>
        <source>enter the address that receives all mail from this mailbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="82"/>
        <source>“%1” is not an email address like user@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="86"/>
        <source>IMAP folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="87"/>
        <source>enter the folder to collect, e.g. INBOX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="90"/>
        <source>Trusted certificate fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="91"/>
        <source>must be 64 hexadecimal digits (colons allowed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="94"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="195"/>
        <source>Authentication method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="95"/>
        <source>this method exists only for POP3; choose another one for IMAP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="98"/>
        <source>Envelope headers to trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="99"/>
        <source>“%1” is not a header name like X-Original-To.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="107"/>
        <source>Provider&apos;s mail servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="108"/>
        <source>“%1” is not a host name or domain like mx.provider.example.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="121"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountDialogDetect.cpp" line="68"/>
        <source>Reading the headers of the newest %n message(s) on %1…</source>
        <translation type="unfinished">
            <numerusform>Reading the headers of the newest message on %1…</numerusform>
            <numerusform>Reading the headers of the newest %n messages on %1…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogDetect.cpp" line="80"/>
        <source>Detection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogDetect.cpp" line="82"/>
        <source>The mailbox is empty: there is nothing to detect from yet. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogDetect.cpp" line="89"/>
        <source>%1 (in %2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogDetect.cpp" line="92"/>
        <source>none found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogDetect.cpp" line="97"/>
        <source>Your provider writes the recipient in: %1. Provider&apos;s mail servers: %2. Check the lists and press OK to keep them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountDialogDetect.cpp" line="100"/>
        <source>No envelope header of your provider names a local recipient in the newest %n message(s); the visible headers (To, Cc) would be used. Provider&apos;s mail servers: %1.</source>
        <translation type="unfinished">
            <numerusform>No envelope header of your provider names a local recipient in the newest message; the visible headers (To, Cc) would be used. Provider&apos;s mail servers: %1.</numerusform>
            <numerusform>No envelope header of your provider names a local recipient in the newest %n messages; the visible headers (To, Cc) would be used. Provider&apos;s mail servers: %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="68"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="70"/>
        <source>Opens the provider&apos;s sign-in page in your web browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="71"/>
        <source>Sign in on another device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="73"/>
        <source>Shows an address and a code to enter on a phone or another computer: for when no browser can be used here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="75"/>
        <source>Cancel sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="147"/>
        <source>App-only access: no one signs in; Pollux uses the client secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="149"/>
        <source>Not signed in yet: sign in before the first pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="151"/>
        <source>Sign-in needed: the provider no longer accepts the stored sign-in. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="155"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="444"/>
        <source>Signed in; sign-in valid until %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="157"/>
        <source>Signed in before. Sign in again to replace the stored sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="179"/>
        <source>%1 is Google: sign in with Google instead of a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="180"/>
        <source>Use Google sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="183"/>
        <source>%1 is Microsoft 365: sign in with Microsoft instead of a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="184"/>
        <source>Use Microsoft sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="196"/>
        <source>a sign-in with %1 uses Automatic, XOAUTH2 or OAUTHBEARER, not a password method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="200"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="204"/>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="201"/>
        <source>enter the client (application) ID of your app registration with the provider (docs/OAUTH.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="204"/>
        <source>the client ID must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="208"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="216"/>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="209"/>
        <source>“%1” is not a tenant: enter the directory (tenant) ID, a domain like contoso.onmicrosoft.com, or organizations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="217"/>
        <source>app-only access needs your own tenant (its directory ID or domain), not “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="222"/>
        <source>Client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="224"/>
        <source>Google requires the client secret of your app registration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="225"/>
        <source>app-only access requires the client secret of your app registration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="233"/>
        <source>enter the provider&apos;s endpoint (an https URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="237"/>
        <source>“%1” is not an https URL (http only to this computer, for tests).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="240"/>
        <source>Token URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="241"/>
        <location filename="../ui/AccountDialogSignIn.cpp" line="244"/>
        <source>Authorization URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="242"/>
        <source>Device URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="245"/>
        <source>a sign-in needs the authorization URL (browser) or the device URL (another device), or both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="248"/>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="249"/>
        <source>enter the scopes to ask for, separated by spaces, e.g. the provider&apos;s mail scope and offline_access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="276"/>
        <source>Loading the client secret from the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="292"/>
        <source>Correct the fields marked in red, then sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="298"/>
        <source>No keychain is available, so Pollux cannot keep the sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="311"/>
        <source>The browser is open: sign in there, then come back here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="320"/>
        <source>Waiting for the sign-in on the other device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="323"/>
        <source>Opening the browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="324"/>
        <source>Asking the provider for a code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="344"/>
        <source>Sign-in cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="354"/>
        <source>The sign-in was refused: access was denied (by you or your administrator).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="358"/>
        <source>The sign-in timed out: it was not finished in time. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="361"/>
        <source>The provider refused the app registration: check the client ID and the client secret (docs/OAUTH.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="365"/>
        <source>The provider refused the permissions Pollux asks for (the scopes): check that your app registration may use them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="369"/>
        <source>The provider could not be reached: check the network connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="373"/>
        <source>The sign-in could not be stored in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="377"/>
        <source>The provider did not accept the sign-in. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="385"/>
        <source>The sign-in failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="389"/>
        <source>(The provider said: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="420"/>
        <source>Signed in; storing the sign-in in the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="430"/>
        <source>Signed in, but the sign-in could not be stored in the keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogSignIn.cpp" line="445"/>
        <source>Signed in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountsModel</name>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="242"/>
        <source>sign-in expires on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="319"/>
        <source>The sign-in expires on %1: sign in again before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="329"/>
        <source>POP3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="331"/>
        <source>POP3-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="333"/>
        <source>IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="335"/>
        <source>IMAP-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="344"/>
        <source>Single user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="346"/>
        <source>Catch-all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="348"/>
        <source>Catch-all, re-route unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="372"/>
        <source>%1 is polled; clear the box to pause it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="373"/>
        <source>%1 is disabled; tick the box to poll it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="285"/>
        <source>Sign-in needed: the provider no longer accepts the sign-in of %1. Choose “Sign in again”; mail stays on the server until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="405"/>
        <source>%1; %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="395"/>
        <source>%1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="62"/>
        <source>Refused login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="64"/>
        <source>Cannot connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="66"/>
        <source>Secure connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="68"/>
        <source>Password missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="70"/>
        <source>Keychain unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="72"/>
        <source>Server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="74"/>
        <source>Unexpected reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="76"/>
        <source>Server busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="78"/>
        <source>Message incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="80"/>
        <source>Cannot store mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="82"/>
        <source>Settings invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="84"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="86"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="88"/>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="90"/>
        <source>Not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="92"/>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="94"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="273"/>
        <source>%1 is disabled: Pollux does not collect its mail. Tick its box to collect it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="278"/>
        <source>Pollux is paused: no mailbox is checked until you choose “Resume” in the tray menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="289"/>
        <source>The provider said: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="293"/>
        <source>Pollux is checking %1 now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="296"/>
        <source>Pollux has not checked %1 yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountsModel.cpp" line="299"/>
        <source>The last pass, at %1, collected %n message(s).</source>
        <translation>
            <numerusform>The last pass, at %1, collected %n message.</numerusform>
            <numerusform>The last pass, at %1, collected %n messages.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="305"/>
        <source>Last tried at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="310"/>
        <source>Last successful pass: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="311"/>
        <source>No successful pass yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountsModel.cpp" line="313"/>
        <source>%n message(s) from this mailbox wait for delivery to the office server.</source>
        <translation>
            <numerusform>%n message from this mailbox waits for delivery to the office server.</numerusform>
            <numerusform>%n messages from this mailbox wait for delivery to the office server.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="317"/>
        <source>Next pass: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountsModel.cpp" line="377"/>
        <source>%n message(s) wait for delivery to the office server.</source>
        <translation>
            <numerusform>%n message waits for delivery to the office server.</numerusform>
            <numerusform>%n messages wait for delivery to the office server.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="401"/>
        <source>Single user → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="409"/>
        <location filename="../ui/AccountsModel.cpp" line="417"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="415"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="455"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="457"/>
        <source>Last successful pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="459"/>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="461"/>
        <source>Next pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="60"/>
        <source>Sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="447"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="449"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="451"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="453"/>
        <source>Mailbox type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountsPage</name>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="31"/>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="31"/>
        <location filename="../ui/AccountsPage.cpp" line="325"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="32"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="32"/>
        <location filename="../ui/AccountsPage.cpp" line="328"/>
        <source>Sign in again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="33"/>
        <location filename="../ui/AccountsPage.cpp" line="326"/>
        <source>Test access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="34"/>
        <source>Open activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="36"/>
        <source>Also accept subdomains (sales.example.com for example.com)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="43"/>
        <source>Signs the selected Microsoft 365, Google or other OAuth2 account in again, for example when it shows “Sign-in needed”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="75"/>
        <source>Signs in to the selected mailbox now and tells what happens; nothing is downloaded or deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="78"/>
        <source>Shows the passes and messages of Pollux.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="84"/>
        <source>Polled POP3 Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="106"/>
        <location filename="../ui/AccountsPage.cpp" line="236"/>
        <source>Accepted Recipient Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="109"/>
        <source>For catch-all mailboxes: only recipients in these domains are delivered. Write one domain per line, as it appears after the “@”, e.g. example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="112"/>
        <source>example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="124"/>
        <source>Downloading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="127"/>
        <source>After this many messages Pollux first forwards what it has, then collects the rest in the next pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="130"/>
        <source>Maximum number of emails downloaded in a single pass:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="210"/>
        <source>“%1”: write the domain without “@”, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="212"/>
        <source>“%1”: wildcards are not supported. List each domain as it appears after “@”, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="216"/>
        <source>“%1” is an email address. Write only the domain, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="219"/>
        <source>“%1” is not a domain name like “example.com”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="221"/>
        <source>“%1” is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="238"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="243"/>
        <source>%1: a catch-all mailbox needs at least one domain here, e.g. “example.com”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="274"/>
        <source>No mailbox yet: choose “Add…” to collect the mail of one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="275"/>
        <source>Select a mailbox to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="279"/>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="286"/>
        <source>Office server not set up yet: enter it on the “Mail server” page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="291"/>
        <source>Office server OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="293"/>
        <source>Office server unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="294"/>
        <source>Office server unreachable since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="296"/>
        <source>Office server not accepting mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="297"/>
        <source>Office server not accepting mail since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountsPage.cpp" line="298"/>
        <source>%1 — %n message(s) waiting</source>
        <translation>
            <numerusform>%1 — %n message waiting</numerusform>
            <numerusform>%1 — %n messages waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="299"/>
        <source>%1 — nothing waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="427"/>
        <source>Remove account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="428"/>
        <source>Stop collecting mail from %1 (%2 on %3)?

Mail already collected is not affected. The password is removed from the keychain when you save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::ActivityWindow</name>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="57"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="57"/>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="61"/>
        <source>Pollux activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="71"/>
        <location filename="../ui/ActivityWindow.cpp" line="131"/>
        <source>All accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="81"/>
        <location filename="../ui/ActivityWindow.cpp" line="134"/>
        <source>Account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="93"/>
        <source>Search sender, subject, recipients, reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="106"/>
        <source>Send the selected messages to the office mail server again, e.g. after the mailbox was created or the size limit raised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="108"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="109"/>
        <source>Messages the office mail server refused for good. They stay here until you delete them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="144"/>
        <source>Passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="145"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="146"/>
        <source>Quarantine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="147"/>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="149"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="186"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="239"/>
        <source>Updated at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="258"/>
        <source>%1 to %2: %3 collected, %4 delivered, %5 refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityWindow.cpp" line="287"/>
        <source>%n message(s) will be sent again.</source>
        <translation>
            <numerusform>%n message will be sent again.</numerusform>
            <numerusform>%n messages will be sent again.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="297"/>
        <location filename="../ui/ActivityWindow.cpp" line="319"/>
        <source>Delete messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityWindow.cpp" line="298"/>
        <source>Delete %n quarantined message(s) for good? They cannot be recovered.</source>
        <translation>
            <numerusform>Delete %n quarantined message for good? It cannot be recovered.</numerusform>
            <numerusform>Delete %n quarantined messages for good? They cannot be recovered.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="320"/>
        <source>These files could not be deleted:
%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AppController</name>
    <message>
        <location filename="../ui/AppController.cpp" line="232"/>
        <source>Pollux service settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="233"/>
        <source>These are the settings of the Pollux service running on this computer. Save sends them to the service, which writes its configuration and reloads. Passwords for the service are set by an admin with “pollux password set”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="290"/>
        <source>The Pollux service is not running: the settings were not saved. Try again when it runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="295"/>
        <source>Changing the settings of the Pollux service needs an admin: ask one to edit %1 (or to add you to a group that may write it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="304"/>
        <source>Changing the settings of the Pollux service needs an admin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="308"/>
        <source>The Pollux service refused the settings: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="309"/>
        <source>The Pollux service refused the settings (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="312"/>
        <source>The settings could not be saved by the Pollux service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="394"/>
        <source>Pollux runs as a service on this computer: its test alert cannot be sent from here yet. Ask the service&apos;s admin, or wait for a real alert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="400"/>
        <source>Alerts are turned off in the saved settings: turn them on, save, then send the test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AppController.cpp" line="405"/>
        <source>Pollux is paused or not running: resume it, then send the test alert.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::DeviceCodeDialog</name>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="16"/>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="16"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="18"/>
        <source>Sign in on another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="39"/>
        <source>On any device (a phone or another computer), open %1 and enter this code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="55"/>
        <source>Waiting until you have signed in there…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/DeviceCodeDialog.cpp" line="71"/>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::DurationEdit</name>
    <message numerus="yes">
        <location filename="../ui/DurationEdit.cpp" line="163"/>
        <source>second(s)</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>second</numerusform>
            <numerusform>seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/DurationEdit.cpp" line="165"/>
        <source>minute(s)</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>minute</numerusform>
            <numerusform>minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/DurationEdit.cpp" line="167"/>
        <source>hour(s)</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>hour</numerusform>
            <numerusform>hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/DurationEdit.cpp" line="169"/>
        <source>day(s)</source>
        <comment>duration unit</comment>
        <translation>
            <numerusform>day</numerusform>
            <numerusform>days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pollux::ui::FirstRunGuide</name>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="67"/>
        <source>All settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="68"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="68"/>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="69"/>
        <location filename="../ui/FirstRunGuide.cpp" line="413"/>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="73"/>
        <source>Leaves the guide for all the settings pages. The guide opens again until Pollux is set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="142"/>
        <source>mail.office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="146"/>
        <source>Require STARTTLS (encrypted connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="148"/>
        <source>empty: no login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="150"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="158"/>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="166"/>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="168"/>
        <source>Username (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="169"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="177"/>
        <source>The office mail server answered and accepted the login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="182"/>
        <location filename="../ui/FirstRunGuide.cpp" line="318"/>
        <source>Office mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="183"/>
        <source>Pollux delivers the mail it collects to your office mail server (SMTP). Ask your administrator for its name if you do not know it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="193"/>
        <source>Add mailbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="194"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="195"/>
        <source>Test access</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/FirstRunGuide.cpp" line="231"/>
        <source>Access works: logged in successfully. %n message(s) waiting (%1).</source>
        <translation>
            <numerusform>Access works: logged in successfully. %n message waiting (%1).</numerusform>
            <numerusform>Access works: logged in successfully. %n messages waiting (%1).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="237"/>
        <location filename="../ui/FirstRunGuide.cpp" line="318"/>
        <source>First mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="238"/>
        <source>Add the POP3 or IMAP mailbox Pollux collects from. Its dialog asks for the server and login, and whether the mailbox belongs to one person or is a catch-all mailbox for a whole domain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="31"/>
        <source>None of your mailboxes is a catch-all mailbox, so there is nothing to do here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="37"/>
        <source>example.com, example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="40"/>
        <source>postmaster@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="43"/>
        <source>e.g. info@example.com, someone@elsewhere.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="46"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="46"/>
        <source>Goes to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="46"/>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="58"/>
        <source>Try the newest messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="59"/>
        <source>Reads the headers of the newest messages in the catch-all mailbox and shows where each recipient&apos;s copy would go. Nothing is deleted or marked as read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="74"/>
        <source>Accepted domains:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="75"/>
        <source>Postmaster address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="76"/>
        <source>Try addresses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="319"/>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="90"/>
        <source>Catch-all domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="91"/>
        <source>A catch-all mailbox holds mail for many addresses. Pollux delivers mail for the domains you accept to its recipients; the rest goes to the postmaster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="251"/>
        <location filename="../ui/FirstRunGuide.cpp" line="319"/>
        <source>Go live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="252"/>
        <source>Save the settings: Pollux starts collecting at once and delivers to the office mail server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="324"/>
        <source>%1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="326"/>
        <source>(not needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="331"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="331"/>
        <source>Not done yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="341"/>
        <source>%1 – %2 on %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="351"/>
        <source>✗ Office mail server: not entered yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="352"/>
        <source>✓ Office mail server: %1, port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="356"/>
        <source>✗ Mailboxes: none yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="357"/>
        <source>✓ Mailboxes: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="365"/>
        <source>✗ Accepted domains: none yet, a catch-all mailbox needs them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="366"/>
        <source>✓ Accepted domains: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="369"/>
        <source>Everything needed is there. “Save and start” saves the settings and starts collecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="371"/>
        <source>Some steps are not done yet. You can save what is there; this guide opens again until they are done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="413"/>
        <source>Save and start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="425"/>
        <source>Enter the office mail server, or skip this step for now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="427"/>
        <source>The server name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="432"/>
        <source>Add a mailbox, or skip this step for now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="439"/>
        <source>Enter at least one domain, e.g. example.com, or skip this step for now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="442"/>
        <source>“%1” is not a domain name like “example.com”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="446"/>
        <source>“%1” is not an email address like postmaster@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="488"/>
        <source>Enter the office mail server first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuide.cpp" line="494"/>
        <location filename="../ui/FirstRunGuide.cpp" line="506"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="143"/>
        <source>The directory is not asked here: an address in an accepted domain shows as delivered even if nobody there has it (then it would go to the postmaster).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="162"/>
        <source>Message %1: “%2” from %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="165"/>
        <source>nobody: quarantined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="165"/>
        <source>the postmaster (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="167"/>
        <source>– no postmaster address is entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="169"/>
        <source>no address found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="175"/>
        <source>in an accepted domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="178"/>
        <source>left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="179"/>
        <source>not in an accepted domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="183"/>
        <source>unknown to the directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="187"/>
        <source>relay syntax (% ! @) before the domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="190"/>
        <source>waits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="191"/>
        <source>the directory did not answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="218"/>
        <source>“%1” signs in with OAuth2: try its messages from a terminal with: pollux account route %1 --dry-run</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="230"/>
        <source>Reading the headers of the newest %n message(s) on %1…</source>
        <translation>
            <numerusform>Reading the headers of the newest message on %1…</numerusform>
            <numerusform>Reading the headers of the newest %n messages on %1…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="288"/>
        <source>No password is stored for “%1” yet: edit the mailbox in step 2 and enter it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="294"/>
        <source>The mailbox “%1” is empty: there is nothing to try yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/FirstRunGuideDryRun.cpp" line="299"/>
        <source>The newest %n message(s) in “%1”, routed as delivery would route them. Nothing was changed on the server.</source>
        <translation>
            <numerusform>The newest message in “%1”, routed as delivery would route it. Nothing was changed on the server.</numerusform>
            <numerusform>The newest %n messages in “%1”, routed as delivery would route them. Nothing was changed on the server.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pollux::ui::GeneralPage</name>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="27"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="42"/>
        <source>Start Pollux when I log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="55"/>
        <location filename="../ui/GeneralPage.cpp" line="62"/>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="57"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="43"/>
        <source>Send alerts by e-mail when something needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="47"/>
        <source>Send test alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="64"/>
        <source>When this much mail waits for the office server (for example while it is down), Pollux stops collecting; new mail stays on the provider&apos;s server until there is room again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="67"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="70"/>
        <source>A new language takes effect when Pollux is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="72"/>
        <source>empty: the system&apos;s certificates only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="74"/>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="77"/>
        <source>Poll the mailboxes every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="88"/>
        <source>optional, e.g. it-support@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="89"/>
        <source>empty: the postmaster address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="91"/>
        <source>A mailbox whose collection has failed this long without a success is reported. A mailbox that needs a new sign-in is reported at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="95"/>
        <source>any length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="96"/>
        <source>Outages of the office mail server at least this long are reported once it works again; shorter ones are only logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="98"/>
        <source>Sends a test alert with the saved settings, through the office mail server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="103"/>
        <source>Alerts go to the postmaster (Mail server page) through the office mail server: a mailbox that keeps failing or needs a new sign-in, a message kept in quarantine, a full queue, an outage of the office server. Each at most once a day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="107"/>
        <source>Alerts by e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="112"/>
        <source>Also send alerts to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="113"/>
        <source>Sender (From:):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="114"/>
        <source>Report a mailbox failing for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="115"/>
        <source>Report office server outages from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="121"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="124"/>
        <source>Log file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="124"/>
        <source>Log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="125"/>
        <source>Start a new log file after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="127"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="130"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="133"/>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="136"/>
        <source>Deliver the same message to a recipient only once within:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="137"/>
        <source>Keep at most this much mail waiting for the office server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="138"/>
        <source>Extra trusted certificates (PEM):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="139"/>
        <source>Certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="218"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="224"/>
        <source>Also send alerts to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="225"/>
        <source>“%1” is not an email address like it-support@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="228"/>
        <source>Sender of alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="229"/>
        <source>“%1” is not an email address like pollux@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="232"/>
        <source>Extra trusted certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="233"/>
        <source>the file “%1” cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="253"/>
        <source>Alerts are off: turn them on and save first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="256"/>
        <source>Sending a test alert…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="266"/>
        <source>The test alert is on its way to the postmaster and the extra address, as last saved. The Activity window shows its delivery.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::HistoryChart</name>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="51"/>
        <source>Collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="53"/>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="55"/>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="95"/>
        <source>d MMM</source>
        <extracomment>Date format of the chart&apos;s axis (QDate format: d = day, MMM = short month name)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="103"/>
        <source>%1
Collected: %2
Delivered: %3
Refused: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryChart.cpp" line="209"/>
        <source>No messages in these days.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::MailServerPage</name>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="42"/>
        <source>Require STARTTLS (encrypted connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="45"/>
        <location filename="../ui/MailServerPage.cpp" line="52"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="48"/>
        <source>Use StartTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="67"/>
        <source>Office mail server (SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="70"/>
        <source>mail.office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="72"/>
        <source>empty: no login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="73"/>
        <source>empty: this computer&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="88"/>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="94"/>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="96"/>
        <source>Username (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="97"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="98"/>
        <source>HELO name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="99"/>
        <source>Timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="105"/>
        <source>Postmaster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="108"/>
        <source>postmaster@office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="109"/>
        <source>Postmaster address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="126"/>
        <source>Re-routing unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="131"/>
        <source>Ask the office mail server (SMTP probing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="135"/>
        <source>ldap://dc1.office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="142"/>
        <source>empty: anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="148"/>
        <source>For all the lookups of one message together. A directory that does not answer in time is not asked again for the retry interval; catch-all mail waits meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="151"/>
        <source>Looks the postmaster address up in the directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="173"/>
        <source>Server URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="176"/>
        <source>Base DN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="177"/>
        <source>Bind DN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="178"/>
        <source>Bind password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="167"/>
        <source>Search filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="75"/>
        <source>How long to wait for the office mail server to answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="77"/>
        <source>When the office mail server does not accept a message yet (it is busy or cannot be reached), Pollux tries again after this time, then waits longer each time. Messages it refuses for good are kept in quarantine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="100"/>
        <source>First retry after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="113"/>
        <source>Receives mail with no local recipient, mail for unknown recipients (re-routing) and notices. Mail the office server refuses for good is kept in quarantine, in the folders “%1” and “%2”: the Activity window lists it and sends it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="128"/>
        <source>No check: all recipients count as known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="129"/>
        <source>Every recipient in an accepted domain is taken as known.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="130"/>
        <source>Look recipients up in a directory (LDAP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="138"/>
        <source>Other (own search filter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="139"/>
        <source>Which directory server answers: it decides how Pollux searches for an address (the search filter under “Advanced”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="143"/>
        <source>An LDAP search filter; %s stands for the address looked up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="145"/>
        <source>not at all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="146"/>
        <source>How long an answer from the directory is remembered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="159"/>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="175"/>
        <source>Directory server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="183"/>
        <source>Pollux asks the office mail server whether it knows each recipient; test that server with its Test button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="186"/>
        <source>Remember answers for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="187"/>
        <source>Time for one message&apos;s lookups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="225"/>
        <source>The office mail server answered and accepted the login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="240"/>
        <source>The directory answered: it knows %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="242"/>
        <source>The directory answered, but it does not know %1 (%2). Check the postmaster address and the search settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="323"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="330"/>
        <source>Office mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="330"/>
        <source>the server name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="332"/>
        <source>HELO name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="332"/>
        <source>must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="334"/>
        <source>Postmaster address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="335"/>
        <source>“%1” is not an email address like postmaster@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="339"/>
        <source>Directory server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="340"/>
        <source>must start with ldap:// or ldaps://, e.g. ldap://dc1.example.local.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="342"/>
        <source>Base DN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="343"/>
        <source>enter where to search, e.g. DC=example,DC=local.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="345"/>
        <source>Search filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="345"/>
        <source>must contain %s where the address goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="423"/>
        <source>Enter the postmaster address first: the test looks it up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="429"/>
        <source>Looking up %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="438"/>
        <source>Enter the office mail server first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="444"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::MessagesModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="112"/>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="114"/>
        <source>will retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="116"/>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="118"/>
        <source>refused (quarantine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="120"/>
        <source>duplicate (not delivered again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="147"/>
        <source>Next attempt: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="179"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="181"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="183"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="185"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="187"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="189"/>
        <source>Recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="191"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="193"/>
        <source>Server&apos;s reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="195"/>
        <source>UID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::PassesModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="65"/>
        <source>running or cut short</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityModels.cpp" line="66"/>
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="71"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="74"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="86"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="88"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="90"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="92"/>
        <source>Collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="94"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::PasswordField</name>
    <message>
        <location filename="../ui/PasswordField.cpp" line="68"/>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="86"/>
        <source>kept by the Pollux service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="89"/>
        <source>The Pollux service keeps this password; an admin sets it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="90"/>
        <source>The Pollux service keeps this password; an admin sets it with: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="96"/>
        <source>no password stored yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="99"/>
        <source>No keychain is available, so Pollux cannot read or store this password. Start your desktop&apos;s keyring (for example GNOME Keyring or KWallet) and open this dialog again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="104"/>
        <source>Or set the password from a terminal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="130"/>
        <source>The password could not be stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::QuarantineModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="251"/>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="253"/>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="255"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="257"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="259"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="261"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::SettingsWindow</name>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="42"/>
        <source>Pollux settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="45"/>
        <source>POP3/IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="46"/>
        <source>Mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="47"/>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="54"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="55"/>
        <source>Setup guide…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="56"/>
        <source>Opens the guide again that helps to set up Pollux.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="58"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="217"/>
        <source>Please correct this before saving:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="233"/>
        <source>Account “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="236"/>
        <location filename="../ui/SettingsWindow.cpp" line="275"/>
        <source>Office mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="238"/>
        <source>Re-routing unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="240"/>
        <source>Accepted Recipient Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="242"/>
        <location filename="../ui/SettingsWindow.cpp" line="278"/>
        <source>Postmaster address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="246"/>
        <location filename="../ui/SettingsWindow.cpp" line="275"/>
        <location filename="../ui/SettingsWindow.cpp" line="278"/>
        <location filename="../ui/SettingsWindow.cpp" line="349"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="276"/>
        <source>enter the server that receives the collected mail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="279"/>
        <source>re-routing unknown recipients needs a postmaster address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="295"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="349"/>
        <source>Start at login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="350"/>
        <source>%1 could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="369"/>
        <source>Saved. The new settings are in use.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::SignInRunner</name>
    <message>
        <location filename="../ui/SignInRunner.cpp" line="23"/>
        <source>Pollux: you are signed in. You can close this tab and go back to Pollux.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SignInRunner.cpp" line="25"/>
        <source>Pollux: the sign-in did not succeed. You can close this tab; Pollux says what happened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::TrayIcon</name>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="21"/>
        <source>Poll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="22"/>
        <location filename="../ui/TrayIcon.cpp" line="309"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="24"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="25"/>
        <source>Activity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="27"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="108"/>
        <location filename="../ui/TrayIcon.cpp" line="609"/>
        <source>Pollux service not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="109"/>
        <source>The Pollux service stopped answering. The tray attaches again when it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="113"/>
        <source>Pollux service running again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="113"/>
        <source>The tray is attached to it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="123"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="129"/>
        <source>Polling %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="138"/>
        <source>Polling %1: %2 of %3 messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="157"/>
        <source>Pollux cannot collect mail from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="166"/>
        <source>%1 works again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="167"/>
        <location filename="../ui/TrayIcon.cpp" line="279"/>
        <source>Pollux collects mail from %1 again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="179"/>
        <source>Pollux cannot deliver mail to the office server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="190"/>
        <source>Pollux cannot store mail on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="207"/>
        <source>The office server works again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="208"/>
        <source>Mail is delivered to the office server again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="232"/>
        <source>The office server refused a message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="233"/>
        <source>It answered: %1
The message is kept; see Activity to retry or discard it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="244"/>
        <source>The spool of Pollux is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="245"/>
        <source>New mail of %1 stays on its server until the office server takes the waiting mail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="270"/>
        <source>Sign-in needed for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="271"/>
        <source>The provider no longer accepts the sign-in of %1. Choose “Sign in again” in the Pollux menu; its mail stays on the server until then. The other accounts go on as before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="278"/>
        <source>%1 is signed in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="290"/>
        <source>Sign in again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="309"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="392"/>
        <source>Pollux: service not running (waiting for it to start again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="396"/>
        <source>Pollux: error: mail cannot be delivered to the office server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="402"/>
        <source>Pollux: error: the spool limit (%1 MiB) is reached: %n new message(s) stay on the server of %2 until the office server takes the waiting mail</source>
        <translation>
            <numerusform>Pollux: error: the spool limit (%1 MiB) is reached: %n new message stays on the server of %2 until the office server takes the waiting mail</numerusform>
            <numerusform>Pollux: error: the spool limit (%1 MiB) is reached: %n new messages stay on the server of %2 until the office server takes the waiting mail</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="409"/>
        <source>Pollux: sign-in needed: %1 (choose “Sign in again” in the menu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="421"/>
        <source>%n message(s) wait for the office server</source>
        <translation>
            <numerusform>%n message waits for the office server</numerusform>
            <numerusform>%n messages wait for the office server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="422"/>
        <source>%n message(s) wait for the office server (last answer: %1)</source>
        <translation>
            <numerusform>%n message waits for the office server (last answer: %1)</numerusform>
            <numerusform>%n messages wait for the office server (last answer: %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="427"/>
        <location filename="../ui/TrayIcon.cpp" line="635"/>
        <source>%n message(s) refused by the office server; see Activity</source>
        <translation>
            <numerusform>%n message refused by the office server; see Activity</numerusform>
            <numerusform>%n messages refused by the office server; see Activity</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="431"/>
        <source>The sign-in of %1 expires on %2: sign in again before then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="450"/>
        <source>Pollux: paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="477"/>
        <source>Attached to the Pollux service</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="599"/>
        <source>%1: %n mailboxes</source>
        <translation>
            <numerusform>%1: %n mailbox</numerusform>
            <numerusform>%1: %n mailboxes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="611"/>
        <source>Not set up yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="613"/>
        <source>No mailbox is enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="615"/>
        <source>Paused — %n message(s) waiting</source>
        <translation>
            <numerusform>Paused — %n message waiting</numerusform>
            <numerusform>Paused — %n messages waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="615"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="617"/>
        <source>Cannot store mail on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="622"/>
        <source>office server unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="623"/>
        <source>office server unreachable since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="624"/>
        <source>office server not accepting mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="625"/>
        <source>office server not accepting mail since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="626"/>
        <source>%n message(s) waiting: %1</source>
        <translation>
            <numerusform>%n message waiting: %1</numerusform>
            <numerusform>%n messages waiting: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="627"/>
        <source>Office server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="633"/>
        <source>Spool full: new mail stays on the servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="639"/>
        <source>Polling %n mailboxes</source>
        <translation>
            <numerusform>Polling %n mailbox</numerusform>
            <numerusform>Polling %n mailboxes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="643"/>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="645"/>
        <source>All %n mailbox(es) OK</source>
        <translation>
            <numerusform>The mailbox is OK</numerusform>
            <numerusform>All %n mailboxes OK</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="647"/>
        <source>%1 — last pass %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="649"/>
        <source>%1 — %n message(s) waiting</source>
        <translation>
            <numerusform>%1 — %n message waiting</numerusform>
            <numerusform>%1 — %n messages waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="394"/>
        <location filename="../ui/TrayIcon.cpp" line="598"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="453"/>
        <source>Pollux: idle, last pass at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="457"/>
        <source>Pollux: idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="461"/>
        <location filename="../ui/TrayIcon.cpp" line="652"/>
        <source>Pollux: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="394"/>
        <location filename="../ui/TrayIcon.cpp" line="399"/>
        <location filename="../ui/TrayIcon.cpp" line="411"/>
        <source>Pollux: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
