// The clipping check: every window and dialog of the app (WindowCatalogue), in English and
// German at 100 % and 200 %, measured with each widget's own font metrics and style:
//  - a label's text fits the label (a wrapping label: its height for its width);
//  - a button's, check box's and radio button's text fits the space its style leaves for it;
//  - a combo box's current text, a group box's title, a tab bar's tabs fit;
//  - every visible table cell and header section shows its whole text;
//  - every top-level window fits the screen: 1366×768 at 100 %, 1920×1080 at 200 % (960×540
//    logical pixels), less a title bar and borders (kTitleBar, kBorder).
//
//   tst_clipping --language en|de --scale 1|2   (CTest runs the four combinations)
#include "WindowCatalogue.h"

#include "ui/TrayApp.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QStyle>
#include <QStyleOption>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeView>

#include <cstdio>
#include <cstring>

using namespace pollux;

namespace {

QString g_language = QStringLiteral("en");
int g_scale = 1;

// What a window manager takes around the client area (logical pixels).
constexpr int kTitleBar = 32;
constexpr int kBorder = 8;

QSize screenFor(int scale) { return scale == 1 ? QSize(1366, 768) : QSize(1920, 1080); }

QString shortText(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.size() > 60)
        text = text.left(57) + QStringLiteral("...");
    return text;
}

QString nameOf(const QWidget *w)
{
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += QLatin1Char('#') + w->objectName();
    return name;
}

// The text width as QStyle draws it (mnemonic ampersands not counted).
int textWidth(const QFontMetrics &fm, const QString &text)
{
    int widest = 0;
    for (const QString &line : text.split(QLatin1Char('\n')))
        widest = qMax(widest, fm.size(Qt::TextShowMnemonic, line).width());
    return widest;
}

class Checker
{
public:
    QStringList findings;

    void check(QWidget *window, const QString &scene)
    {
        m_scene = scene;
        checkWindow(window);
        const QList<QWidget *> widgets = window->findChildren<QWidget *>();
        for (QWidget *w : widgets) {
            if (!w->isVisibleTo(window) || w->width() <= 0 || w->height() <= 0)
                continue;
            if (auto *label = qobject_cast<QLabel *>(w))
                checkLabel(label);
            else if (auto *button = qobject_cast<QPushButton *>(w))
                checkButton(button, QStyle::SE_PushButtonContents);
            else if (auto *box = qobject_cast<QCheckBox *>(w))
                checkButton(box, QStyle::SE_CheckBoxContents);
            else if (auto *radio = qobject_cast<QRadioButton *>(w))
                checkButton(radio, QStyle::SE_RadioButtonContents);
            else if (auto *tool = qobject_cast<QToolButton *>(w))
                checkToolButton(tool);
            else if (auto *combo = qobject_cast<QComboBox *>(w))
                checkCombo(combo);
            else if (auto *group = qobject_cast<QGroupBox *>(w))
                checkMinimum(group, group->title());
            else if (auto *tabs = qobject_cast<QTabBar *>(w))
                checkTabs(tabs);
            else if (auto *header = qobject_cast<QHeaderView *>(w))
                checkHeader(header);
            else if (auto *view = qobject_cast<QAbstractItemView *>(w))
                checkCells(view);
        }
    }

private:
    QString m_scene;

    void report(const QWidget *w, const QString &text, const QString &what)
    {
        findings << QStringLiteral("%1: %2 \"%3\": %4")
                        .arg(m_scene, nameOf(w), shortText(text), what);
    }

    void checkWindow(QWidget *window)
    {
        const QSize screen = screenFor(g_scale) / g_scale;
        const QSize room(screen.width() - 2 * kBorder, screen.height() - kTitleBar - kBorder);
        const QSize size = window->size();
        if (size.width() > room.width() || size.height() > room.height())
            report(window, window->windowTitle(),
                   QStringLiteral("the window is %1×%2, the screen leaves %3×%4")
                       .arg(size.width())
                       .arg(size.height())
                       .arg(room.width())
                       .arg(room.height()));
        const QSize least = window->minimumSizeHint().expandedTo(window->minimumSize());
        if (least.width() > room.width() || least.height() > room.height())
            report(window, window->windowTitle(),
                   QStringLiteral("the window cannot be smaller than %1×%2, the screen leaves "
                                  "%3×%4")
                       .arg(least.width())
                       .arg(least.height())
                       .arg(room.width())
                       .arg(room.height()));
    }

    void checkLabel(QLabel *label)
    {
        if (label->text().isEmpty() || !label->pixmap().isNull())
            return;
        const QRect contents = label->contentsRect();
        if (label->wordWrap()) {
            const int need = label->heightForWidth(label->width());
            if (need > label->height())
                report(label, label->text(),
                       QStringLiteral("needs %1 px of height at width %2, has %3")
                           .arg(need)
                           .arg(label->width())
                           .arg(label->height()));
            return;
        }
        const QSize need = label->sizeHint();
        if (need.width() > label->width() || need.height() > label->height())
            report(label, label->text(),
                   QStringLiteral("needs %1×%2, has %3×%4 (contents %5 px wide)")
                       .arg(need.width())
                       .arg(need.height())
                       .arg(label->width())
                       .arg(label->height())
                       .arg(contents.width()));
    }

    void checkButton(QAbstractButton *button, QStyle::SubElement contentsElement)
    {
        const QString text = button->text();
        if (text.isEmpty())
            return;
        QStyleOptionButton opt;
        opt.initFrom(button);
        opt.text = text;
        opt.icon = button->icon();
        opt.iconSize = button->iconSize();
        const QRect room = button->style()->subElementRect(contentsElement, &opt, button);
        int need = textWidth(button->fontMetrics(), text);
        if (!opt.icon.isNull())
            need += opt.iconSize.width() + 4;
        if (need > room.width())
            report(button, text,
                   QStringLiteral("needs %1 px, its style leaves %2").arg(need).arg(room.width()));
    }

    void checkToolButton(QToolButton *tool)
    {
        if (tool->text().isEmpty() || tool->toolButtonStyle() == Qt::ToolButtonIconOnly
            || qobject_cast<QTabBar *>(tool->parentWidget()))
            return;
        const QSize need = tool->sizeHint();
        if (need.width() > tool->width())
            report(tool, tool->text(),
                   QStringLiteral("needs %1 px, has %2").arg(need.width()).arg(tool->width()));
    }

    void checkCombo(QComboBox *combo)
    {
        const QString text = combo->currentText();
        if (text.isEmpty() || combo->isEditable())
            return;
        QStyleOptionComboBox opt;
        opt.initFrom(combo);
        opt.editable = combo->isEditable();
        opt.currentText = text;
        opt.currentIcon = combo->itemIcon(combo->currentIndex());
        opt.iconSize = combo->iconSize();
        const QRect field = combo->style()->subControlRect(QStyle::CC_ComboBox, &opt,
                                                           QStyle::SC_ComboBoxEditField, combo);
        int need = textWidth(combo->fontMetrics(), text);
        if (!opt.currentIcon.isNull())
            need += opt.iconSize.width() + 4;
        if (need > field.width())
            report(combo, text,
                   QStringLiteral("needs %1 px, the field has %2").arg(need).arg(field.width()));
    }

    void checkMinimum(QWidget *w, const QString &text)
    {
        const QSize least = w->minimumSizeHint();
        if (least.width() > w->width())
            report(w, text,
                   QStringLiteral("needs %1 px, has %2").arg(least.width()).arg(w->width()));
    }

    void checkTabs(QTabBar *tabs)
    {
        // Tabs elided or scrolled: the bar would need more than it has.
        const int need = tabs->sizeHint().width();
        if (need > tabs->width()) {
            QStringList names;
            for (int i = 0; i < tabs->count(); ++i)
                names << tabs->tabText(i);
            report(tabs, names.join(QStringLiteral(" | ")),
                   QStringLiteral("needs %1 px, has %2").arg(need).arg(tabs->width()));
        }
    }

    void checkHeader(QHeaderView *header)
    {
        QAbstractItemModel *model = header->model();
        if (!model)
            return;
        const int count = header->count();
        for (int logical = 0; logical < count; ++logical) {
            if (header->isSectionHidden(logical) || header->sectionSize(logical) <= 0)
                continue;
            const QString text =
                model->headerData(logical, header->orientation(), Qt::DisplayRole).toString();
            if (text.isEmpty())
                continue;
            QStyleOptionHeader opt;
            opt.initFrom(header);
            opt.section = logical;
            opt.text = text;
            opt.orientation = header->orientation();
            if (header->isSortIndicatorShown() && header->sortIndicatorSection() == logical)
                opt.sortIndicator = QStyleOptionHeader::SortDown;
            const QSize need = header->style()->sizeFromContents(QStyle::CT_HeaderSection, &opt,
                                                                 QSize(), header);
            const int has = header->sectionSize(logical);
            const int needed =
                header->orientation() == Qt::Horizontal ? need.width() : need.height();
            if (needed > has)
                report(header, text,
                       QStringLiteral("header section %1 needs %2 px, has %3")
                           .arg(logical)
                           .arg(needed)
                           .arg(has));
        }
    }

    static bool wraps(QAbstractItemView *view)
    {
        if (auto *table = qobject_cast<QTableView *>(view))
            return table->wordWrap();
        if (auto *tree = qobject_cast<QTreeView *>(view))
            return tree->wordWrap();
        if (auto *list = qobject_cast<QListView *>(view))
            return list->wordWrap();
        return false;
    }

    void checkCells(QAbstractItemView *view)
    {
        QAbstractItemModel *model = view->model();
        if (!model)
            return;
        const QRect viewport = view->viewport()->rect();
        const int rows = qMin(model->rowCount(view->rootIndex()), 200);
        const int columns = model->columnCount(view->rootIndex());
        for (int row = 0; row < rows; ++row) {
            for (int column = 0; column < columns; ++column) {
                const QModelIndex index = model->index(row, column, view->rootIndex());
                const QRect rect = view->visualRect(index);
                if (rect.isEmpty() || !rect.intersects(viewport))
                    continue;
                const QString text = index.data(Qt::DisplayRole).toString();
                if (text.isEmpty())
                    continue;
                QSize need = view->sizeHintForIndex(index);
                if (need.width() > rect.width() && wraps(view)) {
                    // The delegate wraps the text at the cell's width: it needs that height.
                    const int margin =
                        view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) +
                        1;
                    const QFontMetrics fm(view->font());
                    const QRect wrapped =
                        fm.boundingRect(QRect(0, 0, rect.width() - 2 * margin, 1 << 20),
                                        Qt::TextWordWrap | Qt::AlignLeft, text);
                    if (wrapped.width() <= rect.width() - 2 * margin)
                        need = QSize(rect.width(), wrapped.height()); // no vertical margin
                }
                if (need.width() > rect.width() || need.height() > rect.height())
                    report(view, text,
                           QStringLiteral("cell %1,%2 needs %3×%4, has %5×%6")
                               .arg(row)
                               .arg(column)
                               .arg(need.width())
                               .arg(need.height())
                               .arg(rect.width())
                               .arg(rect.height()));
            }
        }
    }
};

} // namespace

class tst_clipping : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(g_language));
        QVERIFY(ui::installTranslator(g_language) || g_language == QLatin1String("en"));
        const QSize logical = screenFor(g_scale) / g_scale;
        QCOMPARE(QApplication::primaryScreen()->geometry().size(), logical);
        m_catalogue.visit([this](QWidget *window, const QString &scene) {
            m_scenes << scene;
            m_checker.check(window, scene);
        });
    }

    // Every scene of the catalogue was shown (a catalogue that lost its windows checks
    // nothing).
    void everySceneShown()
    {
        for (const char *scene :
             {"settings-pop3-imap", "settings-mail-server", "settings-general",
              "account-new", "account-advanced", "account-test-refused", "activity-passes",
              "activity-messages", "activity-quarantine"})
            QVERIFY2(m_scenes.contains(QLatin1String(scene)), scene);
    }

    void everyTextFitsAndEveryWindowFitsTheScreen()
    {
        // One line each (QTest cuts long failure messages short).
        for (const QString &finding : std::as_const(m_checker.findings))
            printf("CLIPPED %s %dx: %s\n", qPrintable(g_language), g_scale, qPrintable(finding));
        fflush(stdout);
        QVERIFY2(m_checker.findings.isEmpty(),
                 qPrintable(QStringLiteral("%1 problem(s), each on a CLIPPED line above")
                                .arg(m_checker.findings.size())));
    }

    // The checker itself finds a clipped label, button and cell (a check that cannot fail
    // proves nothing).
    void checkerFindsClipping()
    {
        QWidget window;
        window.resize(300, 200);
        auto *label = new QLabel(QStringLiteral("A label whose text is far too long"), &window);
        label->setGeometry(0, 0, 40, 20);
        auto *button = new QPushButton(QStringLiteral("A button with a long text"), &window);
        button->setGeometry(0, 30, 50, 30);
        auto *box = new QComboBox(&window);
        box->addItem(QStringLiteral("A combo box entry that is long"));
        box->setGeometry(0, 70, 60, 30);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Checker checker;
        checker.check(&window, QStringLiteral("self-test"));
        QCOMPARE(checker.findings.size(), 3);
        label->setGeometry(0, 0, 290, 20);
        button->setGeometry(0, 30, 290, 30);
        box->setGeometry(0, 70, 290, 30);
        Checker again;
        again.check(&window, QStringLiteral("self-test"));
        QVERIFY2(again.findings.isEmpty(), qPrintable(again.findings.join(QLatin1Char('\n'))));
    }

private:
    gui::WindowCatalogue m_catalogue;
    Checker m_checker;
    QStringList m_scenes;
};

int main(int argc, char *argv[])
{
    // Our own arguments first; the rest goes to QTest.
    QList<char *> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--language") == 0 && i + 1 < argc)
            g_language = QString::fromLatin1(argv[++i]);
        else if (std::strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
            g_scale = QByteArray(argv[++i]).toInt();
        else
            rest << argv[i];
    }
    if (g_scale != 1 && g_scale != 2) {
        fprintf(stderr, "tst_clipping: --scale is 1 or 2\n");
        return 2;
    }
    // An offscreen screen of the size under test, scaled like a high-DPI desktop.
    QTemporaryDir dir;
    const QSize screen = screenFor(g_scale);
    QFile config(dir.filePath(QStringLiteral("screens.json")));
    if (!config.open(QIODevice::WriteOnly))
        return 2;
    config.write(QStringLiteral("{\"synchronousWindowSystemEvents\": false, "
                                "\"windowFrameMargins\": false, \"screens\": [{\"name\": "
                                "\"screen\", \"x\": 0, \"y\": 0, \"width\": %1, \"height\": %2, "
                                "\"logicalDpi\": 96, \"logicalBaseDpi\": 96}]}")
                     .arg(screen.width())
                     .arg(screen.height())
                     .toUtf8());
    config.close();
    qputenv("QT_QPA_PLATFORM", QString(QStringLiteral("offscreen:configfile=") + config.fileName()).toLocal8Bit());
    qputenv("QT_SCALE_FACTOR", QByteArray::number(g_scale));
    qputenv("LANGUAGE", g_language.toLatin1());
    int count = int(rest.size());
    QApplication app(count, rest.data());
    tst_clipping test;
    return QTest::qExec(&test, count, rest.data());
}

#include "tst_clipping.moc"
