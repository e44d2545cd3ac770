// Help > Keyboard Shortcuts lists every action that has a shortcut. Before, it was a hand-kept
// table that missed actions (Open Outputs' neighbours, Save, Quit, the zoom presets...). Now it
// is generated from the window's actions: every QAction with a shortcut must appear with its
// key sequence and its name, and the list must hold the zoom presets added for issue 15.
#include <QAction>
#include <QKeySequence>
#include <QTest>
#include <QTextDocument>

#include "MainWindow.hpp"
#include "ShortcutsDialog.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class ShortcutsDialogTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void everyShortcutIsListed() {
    MainWindow window;
    QTextDocument document;
    document.setHtml(shortcutsTable(window));
    const QString shown = document.toPlainText();
    int withShortcut = 0;
    for (auto* action : window.findChildren<QAction*>()) {
      if (action->shortcuts().isEmpty()) continue;
      ++withShortcut;
      const QString name = plainActionName(*action);
      QVERIFY2(!name.isEmpty(), qPrintable(action->objectName()));
      for (const auto& key : action->shortcuts()) {
        const QString keys = key.toString(QKeySequence::NativeText);
        // The key in one cell and the name in the next (plain text puts each cell on a line).
        const QStringList cells = shown.split('\n');
        bool listed = false;
        for (qsizetype c = 0; c + 1 < cells.size(); ++c)
          listed = listed || (cells[c].contains(keys) && cells[c + 1].trimmed() == name);
        QVERIFY2(listed, qPrintable(QStringLiteral("%1 (%2) not listed").arg(name, keys)));
      }
    }
    QVERIFY(withShortcut >= 15);  // file, view, zoom, run and help actions
    for (const char* preset : {"zoom.10s", "zoom.1min", "zoom.10min", "zoom.1h", "zoom.selection"})
      QVERIFY2(!window.findChild<QAction*>(preset)->shortcuts().isEmpty(), preset);
  }

  void shortcutsAreUnambiguous() {
    // A key on two actions of one window fires neither; every listed key must be unique.
    MainWindow window;
    QStringList seen;
    for (auto* action : actionsWithShortcuts(window))
      for (const auto& key : action->shortcuts()) {
        const QString text = key.toString(QKeySequence::PortableText);
        QVERIFY2(!seen.contains(text), qPrintable(text + " on two actions"));
        seen << text;
      }
  }

  void namesLoseAcceleratorsAndEllipsis() {
    QAction action(QStringLiteral("Open &Session…"));
    QCOMPARE(plainActionName(action), QStringLiteral("Open Session"));
    QAction hinted(QStringLiteral("Zoom to Selection\tCtrl+E"));
    QCOMPARE(plainActionName(hinted), QStringLiteral("Zoom to Selection"));
  }
};

QTEST_MAIN(ShortcutsDialogTest)
#include "ShortcutsDialogTest.moc"
