// The account dialog and the settings window fit a small screen: 1366x768 at 100 % and,
// the harder one, 1920x1080 at 200 % (960x540 logical pixels, ~40 of them the window
// frame), in English and in German (whose words are longer). What does not fit scrolls.
#include "UiTestSupport.h"

#include "ui/AccountAdvanced.h"
#include "ui/AccountDialog.h"
#include "ui/FitScrollArea.h"
#include "ui/GeneralPage.h"
#include "ui/MailServerPage.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

namespace {
const QSize kRoom(960, 500); // 960x540 logical, less the window frame

// The posted layout requests, level by level, as the event loop would deliver them.
void settle()
{
    for (int i = 0; i < 10; ++i)
        QApplication::processEvents();
}

// The language of one test row, removed again however the row ends.
struct Language
{
    explicit Language(const QString &language)
        : translator(language.isEmpty() ? nullptr : ui::installTranslator(language))
    {
    }
    ~Language()
    {
        if (translator) {
            QApplication::removeTranslator(translator);
            delete translator;
        }
    }
    Q_DISABLE_COPY_MOVE(Language)
    QTranslator *translator;
};

bool fits(const QSize &size)
{
    return size.width() <= kRoom.width() && size.height() <= kRoom.height();
}

QString text(const QSize &size)
{
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

Config fullConfig()
{
    Config c;
    c.smtp.host = QStringLiteral("mail.office.example");
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.directory.type = DirectoryType::Ldap;
    c.directory.filter = QStringLiteral("(&(objectClass=person)(mail=%s))"); // own: shown
    AccountConfig a;
    a.name = QStringLiteral("joe");
    a.host = QStringLiteral("pop.provider.example");
    c.accounts << a;
    return c;
}
} // namespace

class TestFits : public QObject
{
    Q_OBJECT

private slots:
    void accountDialog_data();
    void accountDialog();
    void settingsPages_data();
    void settingsPages();
    void settingsWindow_data();
    void settingsWindow();
};

void TestFits::accountDialog_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("english") << QString();
    QTest::newRow("german") << QStringLiteral("de");
}

void TestFits::accountDialog()
{
    QFETCH(QString, language);
    const Language installed(language);
    QVERIFY(language.isEmpty() || installed.translator);
    {
        FakeSecretStore secrets;
        AccountDialog dialog({&secrets});
        dialog.show();
        settle();
        QVERIFY2(fits(dialog.sizeHint()), qPrintable(text(dialog.sizeHint())));
        QVERIFY2(fits(dialog.size()), qPrintable(text(dialog.size())));

        dialog.setAdvancedVisible(true);
        settle();
        QVERIFY(dialog.advanced()->isVisible());
        QVERIFY2(fits(dialog.sizeHint()), qPrintable(text(dialog.sizeHint())));
        QVERIFY2(fits(dialog.size()), qPrintable(text(dialog.size())));
        // Everything stays reachable: the fields scroll (no horizontal scrolling), the
        // section starts in view, OK stays below.
        FitScrollArea *fields = dialog.scrollArea();
        QVERIFY(fields->verticalScrollBar()->maximum() > 0);
        QCOMPARE(fields->horizontalScrollBar()->maximum(), 0);
        QVERIFY(fields->widget()->width() <= fields->viewport()->width());
        QWidget *last = dialog.advanced()->providerHosts();
        fields->reveal(last);
        const QPoint at = last->mapTo(fields->viewport(), QPoint(0, 0));
        QVERIFY2(at.y() >= 0 && at.y() + last->height() <= fields->viewport()->height(),
                 qPrintable(QStringLiteral("y %1").arg(at.y())));
    }
}

void TestFits::settingsPages_data()
{
    accountDialog_data();
}

// The Mail server and General pages, each with the window around it (tabs, Save, margins).
void TestFits::settingsPages()
{
    QFETCH(QString, language);
    const Language installed(language);
    QVERIFY(language.isEmpty() || installed.translator);
    {
        FakeSecretStore secrets;
        SettingsWindow window(&secrets, QStringLiteral("/nonexistent/pollux.json"));
        window.setConfig(fullConfig());
        window.show();
        settle();
        int tallest = 0;
        for (int i = 0; i < window.tabs()->count(); ++i)
            tallest = qMax(tallest, window.tabs()->widget(i)->sizeHint().height());
        const int around = window.sizeHint().height() - tallest;
        for (QWidget *page : {static_cast<QWidget *>(window.mailServerPage()),
                              static_cast<QWidget *>(window.generalPage())}) {
            window.tabs()->setCurrentWidget(page);
            settle();
            const QSize hint = page->sizeHint() + QSize(0, around);
            QVERIFY2(fits(hint), qPrintable(window.tabs()->tabText(window.tabs()->indexOf(page)) +
                                            QLatin1Char(' ') + text(hint)));
            // What does not fit scrolls, never sideways.
            auto *scroll = page->findChild<FitScrollArea *>();
            QVERIFY(scroll);
            QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
        }
        QVERIFY(window.sizeHint().width() <= kRoom.width());
        // Reachable: the last field of each page can be scrolled into view.
        window.resize(window.sizeHint().boundedTo(kRoom));
        for (QWidget *last : {static_cast<QWidget *>(window.mailServerPage()->searchFilter()),
                              static_cast<QWidget *>(window.generalPage()->testAlertButton())}) {
            QWidget *page = last == window.mailServerPage()->searchFilter()
                                ? static_cast<QWidget *>(window.mailServerPage())
                                : static_cast<QWidget *>(window.generalPage());
            window.tabs()->setCurrentWidget(page);
            settle();
            auto *scroll = page->findChild<FitScrollArea *>();
            // Wrapped texts get the lines they need at the width they have.
            for (QLabel *label : page->findChildren<QLabel *>()) {
                if (label->wordWrap() && label->isVisible() && !label->text().isEmpty())
                    QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                             qPrintable(label->text()));
            }
            scroll->reveal(last);
            const QPoint at = last->mapTo(scroll->viewport(), QPoint(0, 0));
            QVERIFY2(last->isVisible() && at.y() >= 0 &&
                         at.y() + last->height() <= scroll->viewport()->height(),
                     qPrintable(QStringLiteral("y %1").arg(at.y())));
        }
    }
}

void TestFits::settingsWindow_data()
{
    accountDialog_data();
}

// The whole window: every page, also the POP3/IMAP one.
void TestFits::settingsWindow()
{
    QFETCH(QString, language);
    const Language installed(language);
    QVERIFY(language.isEmpty() || installed.translator);
    {
        FakeSecretStore secrets;
        SettingsWindow window(&secrets, QStringLiteral("/nonexistent/pollux.json"));
        window.setConfig(fullConfig());
        window.show();
        settle();
        QStringList pages;
        for (int i = 0; i < window.tabs()->count(); ++i) {
            const QSize hint = window.tabs()->widget(i)->sizeHint();
            pages << window.tabs()->tabText(i) + QLatin1Char(' ') + text(hint);
        }
        QVERIFY2(fits(window.sizeHint()),
                 qPrintable(text(window.sizeHint()) + QStringLiteral(", pages: ") +
                            pages.join(QStringLiteral(", "))));
        // The size it opens at follows the screen (tst_clipping opens it on a 960x540 one);
        // here: it can be made that small.
        QVERIFY2(fits(window.minimumSizeHint()), qPrintable(text(window.minimumSizeHint())));
    }
}

QTEST_MAIN(TestFits)
#include "tst_fits.moc"
