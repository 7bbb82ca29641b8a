<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ErrorText</name>
    <message>
        <location filename="../ui/ErrorText.cpp" line="42"/>
        <source>Everything worked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="44"/>
        <source>The server name could not be found. Check the spelling of the server name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="46"/>
        <source>The server refused the connection. Check the server name, the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="49"/>
        <source>The network connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="51"/>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="53"/>
        <source>No secure connection could be made: the server&apos;s certificate is not trusted, or the encryption failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="56"/>
        <source>The server answered in a way Pollux does not understand. Check the server type and the port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="59"/>
        <source>The server sent an unexpectedly long line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="61"/>
        <source>The server refused the username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="63"/>
        <source>The server reported an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="65"/>
        <source>The server is temporarily unavailable. Pollux will try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="67"/>
        <source>Pollux could not write to its spool or database on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="69"/>
        <source>The settings are not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="75"/>
        <source>No password is stored in the keychain for the account “%1”. Open Settings… from the tray menu, edit the account on the POP3/IMAP page, enter its password and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="80"/>
        <source>No password is stored in the keychain for the office mail server. Open Settings… from the tray menu, enter it on the Mail server page and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="84"/>
        <source>No password is stored in the keychain for the directory. Open Settings… from the tray menu, enter it on the Mail server page and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="87"/>
        <source>No password is stored for this account yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="89"/>
        <source>The password could not be read from or written to the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="91"/>
        <source>The operation was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="93"/>
        <source>A message arrived incomplete or not as the server announced it. It stays on the server and was not collected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="96"/>
        <source>An unknown error occurred.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ErrorText.cpp" line="103"/>
        <source>%1
Details: %2</source>
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
        <location filename="../ui/TrayApp.cpp" line="66"/>
        <location filename="../ui/TrayApp.cpp" line="91"/>
        <source>Pollux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="67"/>
        <source>The configuration %1 cannot be used:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="89"/>
        <source>of unknown number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayApp.cpp" line="92"/>
        <source>Another Pollux (process %1) is already working in the data folder %2.

This one closes now. Stop the other one first, or give this configuration its own data folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountAdvanced</name>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="17"/>
        <source>Use STARTTLS (encrypt before logging in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="18"/>
        <source>Allow the password to be sent unencrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="20"/>
        <source>Use APOP when the server offers it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="21"/>
        <source>Stay connected (IMAP IDLE): collect new mail at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="23"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="23"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="24"/>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="24"/>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="25"/>
        <source>Defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="25"/>
        <source>Detect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="46"/>
        <source>Reads the headers of the newest messages in the mailbox (nothing is deleted or marked) and proposes the envelope headers and the provider&apos;s hosts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="49"/>
        <source>e.g. mx1.provider.example, imap.provider.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="51"/>
        <source>Catch-all mailboxes: your provider&apos;s own mail servers, separated by commas. Envelope headers count only where these servers wrote them; without any, only what stands above the topmost Received: header counts. A domain stands for every server below it: list only names no other customer of the provider can use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="57"/>
        <source>Automatic (the strongest the server offers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="58"/>
        <source>USER/PASS (POP3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="59"/>
        <source>APOP (POP3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="60"/>
        <source>LOGIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="61"/>
        <source>PLAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="62"/>
        <source>CRAM-MD5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="63"/>
        <source>SCRAM-SHA-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="64"/>
        <source>SCRAM-SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="65"/>
        <source>XOAUTH2 (the password is an access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="66"/>
        <source>OAUTHBEARER (the password is an access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="71"/>
        <source>empty: only certificates that verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="72"/>
        <source>SHA-256 fingerprint of a certificate to trust although it does not verify, e.g. a self-signed one (64 hex digits).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="74"/>
        <source>Catch-all mailboxes: the headers your provider adds with the real recipient, most trusted first. The first one present decides where a message goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="91"/>
        <source>Authentication method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="95"/>
        <source>IMAP folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="96"/>
        <source>Trusted certificate fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="97"/>
        <source>Envelope headers to trust:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="98"/>
        <source>Provider&apos;s mail servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountAdvanced.cpp" line="117"/>
        <source>X-New-Header</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountDialog</name>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="38"/>
        <source>Test access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="39"/>
        <source>Trust this certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="42"/>
        <source>POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="52"/>
        <source>Server type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="54"/>
        <source>POP3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="55"/>
        <source>POP3-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="56"/>
        <source>IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="57"/>
        <source>IMAP-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="67"/>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="70"/>
        <source>How this account appears in the list, the activity and the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="78"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="79"/>
        <source>Account name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="80"/>
        <source>Servername:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="81"/>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="82"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="83"/>
        <source>IP portnumber:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="84"/>
        <source>Timeout (seconds):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="87"/>
        <source>Type of mailbox / distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="89"/>
        <source>Catch-all mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="90"/>
        <source>Catch-all mailbox – re-route mail to unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="91"/>
        <source>Single user mailbox, all mail goes to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="98"/>
        <source>user@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="100"/>
        <source>Don&apos;t forget to add your local domains to the Accepted Recipient Domains box on the POP3/IMAP page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="113"/>
        <source>Delete / keep email on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="115"/>
        <source>Delete downloaded email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="116"/>
        <source>Leave a copy of downloaded email (indefinitely)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="117"/>
        <source>Leave a copy of downloaded email for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="125"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="136"/>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="175"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="176"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="272"/>
        <source>Add POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="272"/>
        <source>Edit POP3/IMAP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="339"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountDialog.cpp" line="351"/>
        <source>Access works: logged in successfully. %n message(s) waiting (%1).</source>
        <translation>
            <numerusform>Access works: logged in successfully. %n message waiting (%1).</numerusform>
            <numerusform>Access works: logged in successfully. %n messages waiting (%1).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="358"/>
        <source>No password is stored in the keychain for this account yet: enter it in the Password field and test again (OK stores it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="362"/>
        <source>The server presented a certificate with the SHA-256 fingerprint %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="377"/>
        <source>Trust this certificate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="378"/>
        <source>Trust the certificate with this SHA-256 fingerprint for this account?

%1

Only do this if you know the server uses its own (self-signed) certificate, ideally after comparing the fingerprint with the one your provider gives you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="387"/>
        <source>The certificate will be trusted. Test access again to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialog.cpp" line="395"/>
        <source>Please wait until the password has been loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="25"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="56"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="58"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="60"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="62"/>
        <source>Account name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="56"/>
        <source>enter a name for this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="58"/>
        <source>the name must not contain “/”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="60"/>
        <source>the name must not contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="63"/>
        <source>another account is already called “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="66"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="68"/>
        <source>Servername</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="66"/>
        <source>enter the name or IP address of the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="68"/>
        <source>the server name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="71"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="71"/>
        <source>enter the username for the mail server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="75"/>
        <location filename="../ui/AccountDialogValidate.cpp" line="78"/>
        <source>Single user mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="76"/>
        <source>enter the address that receives all mail from this mailbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="79"/>
        <source>“%1” is not an email address like user@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="83"/>
        <source>IMAP folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="84"/>
        <source>enter the folder to collect, e.g. INBOX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="87"/>
        <source>Trusted certificate fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="88"/>
        <source>must be 64 hexadecimal digits (colons allowed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="91"/>
        <source>Authentication method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="92"/>
        <source>this method exists only for POP3; choose another one for IMAP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="95"/>
        <source>Envelope headers to trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="96"/>
        <source>“%1” is not a header name like X-Original-To.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="101"/>
        <source>Provider&apos;s mail servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="102"/>
        <source>“%1” is not a host name or domain like mx.provider.example.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountDialogValidate.cpp" line="115"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/AccountDialogDetect.cpp" line="68"/>
        <source>Reading the headers of the newest %n message(s) on %1…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
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
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountsModel</name>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="53"/>
        <source>POP3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="55"/>
        <source>POP3-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="57"/>
        <source>IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="59"/>
        <source>IMAP-SSL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="68"/>
        <source>Single user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="70"/>
        <source>Catch-all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="72"/>
        <source>Catch-all, re-route unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="95"/>
        <source>%1 is polled; clear the box to pause it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="96"/>
        <source>%1 is disabled; tick the box to poll it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="110"/>
        <source>%1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="116"/>
        <source>Single user → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="120"/>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="121"/>
        <source>not polled yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="150"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="152"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="154"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="156"/>
        <source>Mailbox type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsModel.cpp" line="158"/>
        <source>Last pass</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AccountsPage</name>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="26"/>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="26"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="27"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="29"/>
        <source>Also accept subdomains (sales.example.com for example.com)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="47"/>
        <source>Polled POP3 Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="57"/>
        <location filename="../ui/AccountsPage.cpp" line="165"/>
        <source>Accepted Recipient Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="60"/>
        <source>For catch-all mailboxes: only recipients in these domains are delivered. Write one domain per line, as it appears after the “@”, e.g. example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="63"/>
        <source>example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="75"/>
        <source>Downloading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="78"/>
        <source>After this many messages Pollux first forwards what it has, then collects the rest in the next pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="81"/>
        <source>Maximum number of emails downloaded in a single pass:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="139"/>
        <source>“%1”: write the domain without “@”, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="141"/>
        <source>“%1”: wildcards are not supported. List each domain as it appears after “@”, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="145"/>
        <source>“%1” is an email address. Write only the domain, e.g. “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="148"/>
        <source>“%1” is not a domain name like “example.com”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="150"/>
        <source>“%1” is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="167"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="172"/>
        <source>%1: a catch-all mailbox needs at least one domain here, e.g. “example.com”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="244"/>
        <source>Remove account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AccountsPage.cpp" line="245"/>
        <source>Stop collecting mail from %1 (%2 on %3)?

Mail already collected is not affected. The password is removed from the keychain when you save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::ActivityWindow</name>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="53"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="53"/>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="56"/>
        <source>Pollux activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="66"/>
        <source>All accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="76"/>
        <source>Account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="88"/>
        <source>Search sender, subject, recipients, reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="101"/>
        <source>Send the selected messages to the office mail server again, e.g. after the mailbox was created or the size limit raised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="103"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="104"/>
        <source>Messages the office mail server refused for good. They stay here until you delete them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="125"/>
        <source>Passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="126"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="127"/>
        <source>Quarantine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="129"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="161"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="198"/>
        <source>Updated at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityWindow.cpp" line="229"/>
        <source>%n message(s) will be sent again.</source>
        <translation>
            <numerusform>%n message will be sent again.</numerusform>
            <numerusform>%n messages will be sent again.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="239"/>
        <location filename="../ui/ActivityWindow.cpp" line="261"/>
        <source>Delete messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityWindow.cpp" line="240"/>
        <source>Delete %n quarantined message(s) for good? They cannot be recovered.</source>
        <translation>
            <numerusform>Delete %n quarantined message for good? It cannot be recovered.</numerusform>
            <numerusform>Delete %n quarantined messages for good? They cannot be recovered.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityWindow.cpp" line="262"/>
        <source>These files could not be deleted:
%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::AppController</name>
    <message numerus="yes">
        <location filename="../ui/AppController.cpp" line="133"/>
        <source>OK at %1, %n message(s)</source>
        <translation>
            <numerusform>OK at %1, %n message</numerusform>
            <numerusform>OK at %1, %n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pollux::ui::GeneralPage</name>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="22"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="37"/>
        <source>Start Pollux when I log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="43"/>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="45"/>
        <location filename="../ui/GeneralPage.cpp" line="52"/>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="47"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="48"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="54"/>
        <source>When this much mail waits for the office server (for example while it is down), Pollux stops collecting; new mail stays on the provider&apos;s server until there is room again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="57"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="60"/>
        <source>A new language takes effect when Pollux is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="62"/>
        <source>empty: the system&apos;s certificates only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="64"/>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="67"/>
        <source>Poll the mailboxes every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="70"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="73"/>
        <source>Log file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="73"/>
        <source>Log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="74"/>
        <source>Start a new log file after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="76"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="79"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="82"/>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="85"/>
        <source>Deliver the same message to a recipient only once within:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="86"/>
        <source>Keep at most this much mail waiting for the office server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="87"/>
        <source>Extra trusted certificates (PEM):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="88"/>
        <source>Certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="137"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="137"/>
        <source>Extra trusted certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/GeneralPage.cpp" line="138"/>
        <source>the file “%1” cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::MailServerPage</name>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="30"/>
        <source>Require STARTTLS (encrypted connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="32"/>
        <location filename="../ui/MailServerPage.cpp" line="37"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="35"/>
        <source>Use StartTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="45"/>
        <source>Office mail server (SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="48"/>
        <source>mail.office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="50"/>
        <source>empty: no login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="51"/>
        <source>empty: this computer&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="53"/>
        <location filename="../ui/MailServerPage.cpp" line="55"/>
        <location filename="../ui/MailServerPage.cpp" line="103"/>
        <location filename="../ui/MailServerPage.cpp" line="105"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="63"/>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="69"/>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="71"/>
        <source>Username (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="72"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="73"/>
        <source>HELO name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="74"/>
        <source>Timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="75"/>
        <source>Retry refused messages after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="79"/>
        <source>Postmaster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="82"/>
        <source>postmaster@office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="83"/>
        <source>Postmaster address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="84"/>
        <source>Receives mail with no local recipient, mail for unknown recipients (re-routing) and notices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="90"/>
        <source>Re-routing unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="92"/>
        <source>Every recipient in an accepted domain is known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="94"/>
        <source>Look recipients up in a directory (LDAP / Active Directory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="95"/>
        <source>Ask the office mail server (SMTP probing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="99"/>
        <source>ldap://dc1.office.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="100"/>
        <source>DC=office,DC=example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="101"/>
        <source>empty: anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="106"/>
        <source>For all the lookups of one message together. A directory that does not answer in time is not asked again for the retry interval; catch-all mail waits meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="109"/>
        <source>Looks the postmaster address up in the directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="118"/>
        <source>Server URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="120"/>
        <source>Base DN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="121"/>
        <source>Bind DN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="122"/>
        <source>Bind password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="123"/>
        <source>Search filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="126"/>
        <source>Pollux asks the office mail server above whether it knows each recipient; test that server with its Test button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="129"/>
        <source>Remember answers for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="130"/>
        <source>Time for one message&apos;s lookups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="159"/>
        <source>The office mail server answered and accepted the login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="174"/>
        <source>The directory answered: it knows %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="176"/>
        <source>The directory answered, but it does not know %1 (%2). Check the postmaster address and the search settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="241"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="248"/>
        <source>Office mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="248"/>
        <source>the server name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="250"/>
        <source>HELO name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="250"/>
        <source>must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="252"/>
        <source>Postmaster address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="253"/>
        <source>“%1” is not an email address like postmaster@example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="257"/>
        <source>Directory server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="258"/>
        <source>must start with ldap:// or ldaps://, e.g. ldap://dc1.example.local.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="260"/>
        <source>Base DN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="261"/>
        <source>enter where to search, e.g. DC=example,DC=local.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="263"/>
        <source>Search filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="263"/>
        <source>must contain %s where the address goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="301"/>
        <source>Enter the postmaster address first: the test looks it up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="307"/>
        <source>Looking up %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="316"/>
        <source>Enter the office mail server first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MailServerPage.cpp" line="322"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::MessagesModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="110"/>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="112"/>
        <source>will retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="114"/>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="116"/>
        <source>refused (quarantine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="118"/>
        <source>duplicate (not delivered again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="145"/>
        <source>Next attempt: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="177"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="179"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="181"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="183"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="185"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="187"/>
        <source>Recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="189"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="191"/>
        <source>Server&apos;s reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="193"/>
        <source>UID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::PassesModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="63"/>
        <source>running or cut short</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/ActivityModels.cpp" line="64"/>
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="69"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="72"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="84"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="86"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="88"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="90"/>
        <source>Collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="92"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::PasswordField</name>
    <message>
        <location filename="../ui/PasswordField.cpp" line="67"/>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="83"/>
        <source>no password stored yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="86"/>
        <source>No keychain is available, so Pollux cannot read or store this password. Start your desktop&apos;s keyring (for example GNOME Keyring or KWallet) and open this dialog again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="91"/>
        <source>Or set the password from a terminal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/PasswordField.cpp" line="117"/>
        <source>The password could not be stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::QuarantineModel</name>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="224"/>
        <source>The office mail server refused the message as too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ActivityModels.cpp" line="225"/>
        <source>The office mail server refused the message permanently.</source>
        <translation type="unfinished"></translation>
    </message>
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
        <location filename="../ui/SettingsWindow.cpp" line="32"/>
        <source>Pollux settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="35"/>
        <source>POP3/IMAP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="36"/>
        <source>Mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="37"/>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="44"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="45"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="91"/>
        <source>Please correct this before saving:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="107"/>
        <source>Account “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="110"/>
        <location filename="../ui/SettingsWindow.cpp" line="148"/>
        <source>Office mail server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="112"/>
        <source>Re-routing unknown recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="114"/>
        <source>Accepted Recipient Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="116"/>
        <location filename="../ui/SettingsWindow.cpp" line="151"/>
        <source>Postmaster address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="120"/>
        <location filename="../ui/SettingsWindow.cpp" line="148"/>
        <location filename="../ui/SettingsWindow.cpp" line="151"/>
        <location filename="../ui/SettingsWindow.cpp" line="201"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="149"/>
        <source>enter the server that receives the collected mail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="152"/>
        <source>re-routing unknown recipients needs a postmaster address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="168"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="201"/>
        <source>Start at login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="202"/>
        <source>%1 could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsWindow.cpp" line="216"/>
        <source>Saved. The new settings are in use.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pollux::ui::TrayIcon</name>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="18"/>
        <source>Poll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="19"/>
        <location filename="../ui/TrayIcon.cpp" line="215"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="21"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="22"/>
        <source>Activity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="24"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="90"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="96"/>
        <source>Polling %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="105"/>
        <source>Polling %1: %2 of %3 messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="118"/>
        <source>Pollux cannot collect mail from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="125"/>
        <source>%1 works again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="126"/>
        <source>Pollux collects mail from %1 again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="136"/>
        <source>Pollux cannot deliver mail to the office server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="146"/>
        <source>Pollux cannot store mail on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="160"/>
        <source>The office server works again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="161"/>
        <source>Mail is delivered to the office server again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="183"/>
        <source>The office server refused a message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="184"/>
        <source>It answered: %1
The message is kept; see Activity to retry or discard it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="195"/>
        <source>The spool of Pollux is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="196"/>
        <source>New mail of %1 stays on its server until the office server takes the waiting mail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="215"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="270"/>
        <source>Pollux: error: mail cannot be delivered to the office server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="276"/>
        <source>Pollux: error: the spool limit (%1 MiB) is reached: %n new message(s) stay on the server of %2 until the office server takes the waiting mail</source>
        <translation>
            <numerusform>Pollux: error: the spool limit (%1 MiB) is reached: %n new message stays on the server of %2 until the office server takes the waiting mail</numerusform>
            <numerusform>Pollux: error: the spool limit (%1 MiB) is reached: %n new messages stay on the server of %2 until the office server takes the waiting mail</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="292"/>
        <source>%n message(s) wait for the office server</source>
        <translation>
            <numerusform>%n message waits for the office server</numerusform>
            <numerusform>%n messages wait for the office server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="293"/>
        <source>%n message(s) wait for the office server (last answer: %1)</source>
        <translation>
            <numerusform>%n message waits for the office server (last answer: %1)</numerusform>
            <numerusform>%n messages wait for the office server (last answer: %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/TrayIcon.cpp" line="298"/>
        <source>%n message(s) refused by the office server; see Activity</source>
        <translation>
            <numerusform>%n message refused by the office server; see Activity</numerusform>
            <numerusform>%n messages refused by the office server; see Activity</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="317"/>
        <source>Pollux: paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="268"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="321"/>
        <source>Pollux: idle, last pass at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="326"/>
        <source>Pollux: idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="330"/>
        <source>Pollux: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="268"/>
        <location filename="../ui/TrayIcon.cpp" line="273"/>
        <location filename="../ui/TrayIcon.cpp" line="282"/>
        <source>Pollux: error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
