// libFuzzer: everything routing does with a message header it did not write.
#include "config/Config.h"
#include "routing/AcceptedDomains.h"
#include "routing/Address.h"
#include "routing/Directory.h"
#include "routing/EnvelopeDetect.h"
#include "routing/HeaderFields.h"
#include "routing/MessageId.h"
#include "routing/Recipients.h"
#include "routing/Router.h"
#include "routing/Trace.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace pollux;
using namespace pollux::routing;

namespace {

void check(bool condition)
{
    if (!condition)
        abort(); // an invariant broke: libFuzzer records the input
}

Config config()
{
    Config c;
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.acceptedDomains = {QStringLiteral("office.example"), QStringLiteral("bücher.example")};
    c.acceptSubdomains = true;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Config kConfig = config();
    static const AcceptedDomains kDomains(kConfig.acceptedDomains, true);
    const QByteArray header(reinterpret_cast<const char *>(data), qsizetype(size));

    const QList<HeaderField> fields = splitHeaderFields(header);
    // Small bounds, so that short inputs reach them: a cut header marks its last field.
    const HeaderRead read = readHeaderFields(header, 512, 8);
    check(read.fields.size() <= 8 && read.complete() == read.incompleteReason().isEmpty());
    check(read.stop != HeaderRead::Stop::ByteLimit || header.size() >= 512);
    for (qsizetype i = 0; i + 1 < read.fields.size(); ++i)
        check(!read.fields.at(i).cut);
    for (const HeaderField &f : fields) {
        check(!f.name.isEmpty() && !f.name.contains(':') && !f.value.contains('\n'));
        for (const bool cut : {false, true}) {
            const AddressList list = readAddressList(f.value, cut, 4);
            check(list.addresses.size() <= 4);
            check(list.complete() == list.detail.isEmpty());
            check(!cut || !list.complete());
            for (const QString &a : list.addresses) {
                // Every parsed address is normalised and stays so.
                check(normaliseAddress(a) == a);
                check(!a.contains(QLatin1Char('\r')) && !a.contains(QLatin1Char('\n')));
                (void)kDomains.isLocal(a);
            }
        }
        (void)parseAddressList(f.value);
        (void)receivedFor(f.value);
        const ReceivedLine line = parseReceived(f.value);
        for (const QString &a : line.forAddresses)
            check(normaliseAddress(a) == a);
        (void)decodeHeaderText(f.value);
        (void)normaliseMessageId(f.value);
    }

    QStringList envelope = AccountConfig::defaultEnvelopeHeaders();
    envelope.prepend(QStringLiteral("Received"));
    const QStringList hosts{QStringLiteral("isp.example"), QStringLiteral("mx.office.example")};
    const ProviderTrace trace = providerTrace(fields, ProviderHosts(hosts));
    check(trace.inbound < int(fields.size()));
    check(trace.receivedLines.isEmpty() == (trace.inbound < 0));
    for (const QStringList &providerHosts : {QStringList(), hosts}) {
        const Extraction e = extractRecipients(
            fields, envelope, [](const QString &a) { return kDomains.isLocal(a); }, providerHosts);
        QSet<QString> keys;
        for (const FoundRecipient &r : e.recipients) {
            check(!r.address.isEmpty() && !r.source.isEmpty());
            check(!keys.contains(addressKey(r.address))); // deduplicated
            keys.insert(addressKey(r.address));
        }
        check(e.traceFound == (fieldCount(fields, "Received") > 0));
    }
    const EnvelopeDetection detection =
        detectEnvelope({header}, [](const QString &a) { return kDomains.isLocal(a); });
    check(detection.messages == 1 && !detection.envelopeHeaders.isEmpty());

    FixedDirectory directory({{QStringLiteral("alice@office.example"), DirectoryStatus::Known}},
                             DirectoryStatus::Unknown);
    for (const MailboxType type :
         {MailboxType::SingleUser, MailboxType::CatchAll, MailboxType::CatchAllReroute}) {
        AccountConfig account;
        account.name = QStringLiteral("fuzz");
        account.mailbox = type;
        account.recipient = QStringLiteral("joe@office.example");
        account.envelopeHeaders = envelope;
        account.providerHosts = hosts;
        const RoutingDecision d = route(account, kConfig, header, &directory);
        // What routing could not read completely is never silent.
        check(d.incomplete.isEmpty() || type != MailboxType::SingleUser);
        if (!d.incomplete.isEmpty() && d.action == RoutingDecision::Action::Deliver)
            check(d.postmasterReason.startsWith(QLatin1String("recipients not read completely: ")));
        if (d.action == RoutingDecision::Action::Deliver) {
            // Never lost: someone gets the message.
            check(!d.recipients.isEmpty() || !d.postmasterReason.isEmpty());
            for (const QString &r : d.recipients)
                check(type == MailboxType::SingleUser ||
                      (kDomains.isLocal(r) && !isRelaySyntax(r))); // never relayed
            const QByteArray reason = reasonHeader(d.postmasterReason);
            check(reason.endsWith("\r\n") && reason.count('\n') == reason.count("\r\n"));
            for (const QByteArray &line : reason.split('\n'))
                check(line.size() < 998);
        }
    }
    (void)duplicateKey(header);
    return 0;
}
