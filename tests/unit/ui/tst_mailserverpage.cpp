// The Mail server page in human terms: durations in minutes and hours (exact round trip),
// the directory's search filter chosen by name (Active Directory, OpenLDAP) with an own
// filter kept, the quarantine folders explained; English and German.
#include "UiTestSupport.h"

#include "ui/DurationEdit.h"
#include "ui/HumanTerms.h"
#include "ui/MailServerPage.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QToolButton>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

namespace {
const QString kAd = QStringLiteral("(|(mail=%s)(proxyAddresses=smtp:%s))");
const QString kOpenLdap = QStringLiteral("(|(mail=%s)(mailAlternateAddress=%s))");
const QString kOwn = QStringLiteral("(&(objectClass=person)(uid=%s))");

Config ldapConfig(const QString &filter)
{
    Config c;
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = QStringLiteral("ldap://dc1.office.example");
    c.directory.baseDn = QStringLiteral("DC=office,DC=example");
    c.directory.filter = filter;
    return c;
}

// As if the user picked the item.
void choose(QComboBox *box, const QString &id)
{
    const int index = box->findData(id);
    QVERIFY2(index >= 0, qPrintable(id));
    box->setCurrentIndex(index);
    emit box->activated(index);
}

QString filterAfterApply(const MailServerPage &page)
{
    Config c;
    page.apply(c);
    return c.directory.filter;
}
} // namespace

class TestMailServerPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void durationsRoundTrip_data();
    void durationsRoundTrip();
    void filterPresetsByName();
    void ownFilterIsKept();
    void typingAPresetsFilterChoosesIt();
    void filterWithoutPlaceholderIsShown();
    void quarantineFoldersInWords();
    void speaksGerman();

private:
    QTranslator *m_english = nullptr;
};

void TestMailServerPage::initTestCase()
{
    m_english = ui::installTranslator(QStringLiteral("en")); // the plural forms
    QVERIFY(m_english);
}

void TestMailServerPage::cleanupTestCase()
{
    QApplication::removeTranslator(m_english);
    delete m_english;
}

void TestMailServerPage::durationsRoundTrip_data()
{
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("retry");
    QTest::addColumn<int>("ttl");
    QTest::addColumn<int>("dirTimeout");
    QTest::addColumn<QStringList>("shown");
    const auto list = [](std::initializer_list<const char *> texts) {
        QStringList out;
        for (const char *t : texts)
            out << QString::fromUtf8(t);
        return out;
    };
    QTest::newRow("defaults") << 60 << 300 << 3600 << 15
                              << list({"1 minute", "5 minutes", "1 hour", "15 seconds"});
    QTest::newRow("not-whole") << 45 << 5400 << 90000 << 90
                               << list({"45 seconds", "90 minutes", "25 hours", "90 seconds"});
    QTest::newRow("limits") << 3600 << 86400 << 0 << 300
                            << list({"1 hour", "1 day", "not at all", "5 minutes"});
    QTest::newRow("week") << 10 << 10 << 7 * 86400 << 1
                          << list({"10 seconds", "10 seconds", "7 days", "1 second"});
}

void TestMailServerPage::durationsRoundTrip()
{
    QFETCH(int, timeout);
    QFETCH(int, retry);
    QFETCH(int, ttl);
    QFETCH(int, dirTimeout);
    QFETCH(QStringList, shown);
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    Config in = ldapConfig(kAd);
    in.smtp.timeoutSecs = timeout;
    in.smtp.retryIntervalSecs = retry;
    in.directory.cacheTtlSecs = ttl;
    in.directory.timeoutSecs = dirTimeout;
    page.load(in);
    QCOMPARE(QStringList({page.smtpTimeout()->text(), page.retryInterval()->text(),
                          page.cacheTtl()->text(), page.directoryTimeout()->text()}),
             shown);
    Config out;
    page.apply(out);
    QCOMPARE(out.smtp.timeoutSecs, timeout);
    QCOMPARE(out.smtp.retryIntervalSecs, retry);
    QCOMPARE(out.directory.cacheTtlSecs, ttl);
    QCOMPARE(out.directory.timeoutSecs, dirTimeout);
}

void TestMailServerPage::filterPresetsByName()
{
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    page.load(ldapConfig(kAd)); // the default filter
    QComboBox *kind = page.directoryKind();
    QCOMPARE(kind->currentText(), QStringLiteral("Active Directory"));
    QVERIFY(!page.filterToggle()->isChecked()); // the filter itself stays out of sight
    QVERIFY(!page.searchFilter()->isVisibleTo(&page));
    QStringList names;
    for (int i = 0; i < kind->count(); ++i)
        names << kind->itemText(i);
    QCOMPARE(names, QStringList({QStringLiteral("Active Directory"), QStringLiteral("OpenLDAP"),
                                 QStringLiteral("Other (own search filter)")}));

    choose(kind, QStringLiteral("openldap"));
    QCOMPARE(filterAfterApply(page), kOpenLdap);
    QCOMPARE(page.searchFilter()->text(), kOpenLdap);
    choose(kind, QStringLiteral("active-directory"));
    QCOMPARE(filterAfterApply(page), kAd);
    // "Advanced" shows the filter.
    page.filterToggle()->click();
    QVERIFY(page.searchFilter()->isVisibleTo(&page));
    page.filterToggle()->click();
    QVERIFY(!page.searchFilter()->isVisibleTo(&page));

    // Each preset finds what it is meant to find.
    for (const HumanTerms::FilterPreset &p : HumanTerms::filterPresets()) {
        QVERIFY2(p.filter.contains(QLatin1String("(mail=%s)")), qPrintable(p.id));
        QCOMPARE(HumanTerms::presetForFilter(QStringLiteral("  ") + p.filter).id, p.id);
    }
    QVERIFY(HumanTerms::presetForFilter(kOwn).id.isEmpty());
}

void TestMailServerPage::ownFilterIsKept()
{
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    page.load(ldapConfig(kOwn));
    QComboBox *kind = page.directoryKind();
    QCOMPARE(kind->currentData().toString(), QStringLiteral("custom"));
    QVERIFY(page.filterToggle()->isChecked()); // an own filter is shown
    QVERIFY(page.searchFilter()->isVisibleTo(&page));
    QCOMPARE(filterAfterApply(page), kOwn);
    // Trying a preset and coming back brings the own filter back.
    choose(kind, QStringLiteral("openldap"));
    QCOMPARE(filterAfterApply(page), kOpenLdap);
    choose(kind, QStringLiteral("custom"));
    QCOMPARE(filterAfterApply(page), kOwn);

    // Typed by hand: an own filter, kept as typed.
    choose(kind, QStringLiteral("active-directory"));
    page.searchFilter()->clear();
    QTest::keyClicks(page.searchFilter(), QStringLiteral("(cn=%s)"));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("custom"));
    QCOMPARE(filterAfterApply(page), QStringLiteral("(cn=%s)"));
    choose(kind, QStringLiteral("active-directory"));
    choose(kind, QStringLiteral("custom"));
    QCOMPARE(filterAfterApply(page), QStringLiteral("(cn=%s)"));
}

void TestMailServerPage::typingAPresetsFilterChoosesIt()
{
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    page.load(ldapConfig(kOwn));
    page.searchFilter()->clear();
    QTest::keyClicks(page.searchFilter(), kOpenLdap);
    QCOMPARE(page.directoryKind()->currentData().toString(), QStringLiteral("openldap"));
    // A loaded preset's filter is recognised as that preset.
    page.load(ldapConfig(kOpenLdap));
    QCOMPARE(page.directoryKind()->currentText(), QStringLiteral("OpenLDAP"));
    QVERIFY(!page.filterToggle()->isChecked());
}

void TestMailServerPage::filterWithoutPlaceholderIsShown()
{
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    page.load(ldapConfig(kAd));
    choose(page.directoryKind(), QStringLiteral("custom"));
    page.setFilterVisible(false);
    page.searchFilter()->setText(QStringLiteral("(mail=postmaster)"));
    QStringList problems;
    QVERIFY(!page.validate(problems));
    QCOMPARE(problems,
             QStringList{QStringLiteral("Search filter: must contain %s where the address goes.")});
    QVERIFY(page.filterToggle()->isChecked()); // opened on the problem
    QVERIFY(page.searchFilter()->isVisibleTo(&page));
}

void TestMailServerPage::quarantineFoldersInWords()
{
    QCOMPARE(HumanTerms::quarantineFolder(QuarantineFolder::BadMail),
             QStringLiteral("Refused messages (BADMAIL)"));
    QCOMPARE(HumanTerms::quarantineFolder(QuarantineFolder::TooLarge),
             QStringLiteral("Too large (TOOLARGE)"));
    QVERIFY(HumanTerms::quarantineFolderHelp(QuarantineFolder::TooLarge)
                .contains(QLatin1String("larger")));
    FakeSecretStore secrets;
    MailServerPage page(&secrets);
    const QString help = page.postmasterHelp()->text();
    QVERIFY2(help.contains(QStringLiteral("“Refused messages (BADMAIL)”")) &&
                 help.contains(QStringLiteral("“Too large (TOOLARGE)”")),
             qPrintable(help));
}

void TestMailServerPage::speaksGerman()
{
    QTranslator *translator = ui::installTranslator(QStringLiteral("de"));
    QVERIFY(translator);
    {
        QCOMPARE(HumanTerms::quarantineFolder(QuarantineFolder::BadMail),
                 QStringLiteral("Abgelehnte Nachrichten (BADMAIL)"));
        QCOMPARE(HumanTerms::quarantineFolder(QuarantineFolder::TooLarge),
                 QStringLiteral("Zu groß (TOOLARGE)"));
        FakeSecretStore secrets;
        MailServerPage page(&secrets);
        Config c = ldapConfig(kOwn);
        c.smtp.retryIntervalSecs = 7200;
        c.directory.cacheTtlSecs = 0;
        page.load(c);
        QCOMPARE(page.retryInterval()->text(), QStringLiteral("2 Stunden"));
        QCOMPARE(page.cacheTtl()->text(), QStringLiteral("gar nicht"));
        QCOMPARE(page.directoryKind()->currentText(),
                 QStringLiteral("Anderes (eigener Suchfilter)"));
        QCOMPARE(page.directoryKind()->itemText(0), QStringLiteral("Active Directory"));
        QCOMPARE(page.filterToggle()->text(), QStringLiteral("Erweitert"));
    }
    QApplication::removeTranslator(translator);
    delete translator;
}

QTEST_MAIN(TestMailServerPage)
#include "tst_mailserverpage.moc"
