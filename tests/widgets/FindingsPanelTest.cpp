// The Messages dock lists every error with its fix; the status bar shows only the latest, short
// and on one line (issue 15: errors appeared only in the status bar, cut off). Real failures of
// the window's jobs: a file that is not a session, an int8 run without a calibration set.
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "FindingsPanel.hpp"
#include "MainWindow.hpp"
#include "RunPanel.hpp"
#include "WorkbenchSamples.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class FindingsPanelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!testing::samplesPresent()) QFAIL("sample session or model missing from samples/");
  }

  void errorsAreListedWithTheirFix() {
    QSettings().remove("parity/calibration");
    MainWindow window;
    window.show();
    QCOMPARE(window.findingsPanel()->count(), 0);
    QVERIFY(window.view("messages") == window.findingsPanel());
    QTemporaryDir dir;
    const QString bad = dir.filePath("broken.h5");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not HDF5");
    file.close();
    QVERIFY(!window.openPath(bad));
    QCOMPARE(window.findingsPanel()->count(), 1);
    const auto& opened = window.findingsPanel()->message(0);
    QCOMPARE(opened.severity, Severity::Error);
    QVERIFY(opened.context.contains("broken.h5"));
    QVERIFY(!opened.problem.isEmpty());
    QCOMPARE(window.findingsPanel()->list()->topLevelItemCount(), 1);

    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    window.runPanel()->backendBox()->setCurrentBackend("int8");
    window.startRun();
    QCOMPARE(window.findingsPanel()->count(), 2);
    const auto& latest = window.findingsPanel()->message(1);
    QCOMPARE(latest.context, QString("Run"));
    QVERIFY(latest.problem.contains("calibration"));
    // Newest first in the list, with the whole text (problem and fix) in its tooltip.
    auto* top = window.findingsPanel()->list()->topLevelItem(0);
    QCOMPARE(top->text(FindingsPanel::Context), QString("Run"));
    QVERIFY(top->toolTip(FindingsPanel::Problem).contains("calibration"));
    // The status bar: the latest only, one line, short.
    const QString status = window.statusBar()->currentMessage();
    QVERIFY2(status.startsWith("Run: "), qPrintable(status));
    QVERIFY(!status.contains('\n'));
    QVERIFY(status.size() <= 120);
  }

  void messagesSplitWhereProblemAndFix() {
    const auto message = parseWorkbenchMessage(
        Severity::Warning, "Open s.h5",
        "s.h5:/devices/collar/imu: the sample rate is 50 Hz, the model wants 100 Hz\n  fix: "
        "resample it with `imuwb resample`");
    QCOMPARE(message.where, QString("s.h5:/devices/collar/imu"));
    QCOMPARE(message.problem, QString("the sample rate is 50 Hz, the model wants 100 Hz"));
    QCOMPARE(message.fix, QString("resample it with `imuwb resample`"));
    QVERIFY(message.fullText().contains("fix: resample"));
    QCOMPARE(message.shortText(30).size(), 30);
    FindingsPanel panel;
    panel.add(message);
    QCOMPARE(panel.list()->topLevelItem(0)->text(FindingsPanel::Fix), message.fix);
    panel.clear();
    QCOMPARE(panel.count(), 0);
  }
};

QTEST_MAIN(FindingsPanelTest)
#include "FindingsPanelTest.moc"
