// Every panel shows the current session's own results (issue 15): real runs and a real parity
// run of the sample model over two sessions (the two-device sample, and its first 2 minutes).
// Before the workspace state, switching sessions cleared the outputs until F5 while parity kept
// showing the other session's figures; and a failed run has to leave the good one in place.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

#include "CoreRun.hpp"
#include "MainWindow.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchSamples.hpp"
#include "common/Error.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class SessionSwitchKeepsResultsTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!testing::samplesPresent()) QFAIL("sample session or model missing from samples/");
  }

  void eachSessionShowsItsOwnResults() {
    std::atomic<bool> failNext = false;
    // Real runs through core; one run is made to fail as a backend failure would.
    MainWindow window([&](const RunRequest& request, const JobControl& control) {
      if (failNext.exchange(false))
        throw Error("edgeinfer backend", "the sidecar did not answer", "start the sidecar");
      return runModelOverSession(request, control);
    });
    window.resize(1400, 900);
    window.show();
    const QString shortPath = testing::writeShortSession(dir_.filePath("first2min.h5"), 12000);
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto outA = window.outputs();
    QCOMPARE(outA->windowCount(), std::size_t((60000 - 100) / 50 + 1));
    // Parity cpu against cpu on A (no calibration needed).
    window.paritySides()->sideB()->setCurrentBackend("cpu");
    QVERIFY2(window.parityAndWait({}, 120000, &error), qPrintable(error));
    const auto parityA = window.parityView()->result();
    QVERIFY(parityA);
    QCOMPARE(parityA->windows, outA->windowCount());

    // Session B opens and is shown: neither A's outputs nor A's parity figures.
    QVERIFY(window.openPath(shortPath));
    QCOMPARE(window.workspace()->currentIndex(), 1);
    QVERIFY(!window.outputs());
    QVERIFY(!window.parityView()->result());
    QVERIFY(!window.probabilityChart()->matrix());
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto outB = window.outputs();
    QCOMPARE(outB->windowCount(), std::size_t((12000 - 100) / 50 + 1));

    // Back to A: its outputs and its parity, at once, without running again.
    QSignalSpy runs(window.runController(), &RunController::finished);
    window.sessionBrowser()->setCurrentIndex(0);
    QCOMPARE(runs.count(), 0);
    QVERIFY(window.outputs() == outA);
    QVERIFY(window.parityView()->result() == parityA);
    QVERIFY(window.probabilityChart()->matrix() == &outA->probabilities);
    QVERIFY(window.runPanel()->statusText().contains("1199 windows"));

    // A failed run on A keeps A's good outputs, and says so.
    window.runPanel()->setStride(25);  // another key: not answered from the cache
    failNext = true;
    QVERIFY(!window.runAndWait(120000, &error));
    QVERIFY(error.contains("sidecar"));
    QVERIFY(window.outputs() == outA);
    QVERIFY(window.runPanel()->statusText().contains("last good"));
    // B still has its own, and A its own after the round trip.
    window.sessionBrowser()->setCurrentIndex(1);
    QVERIFY(window.outputs() == outB);
    QVERIFY(!window.parityView()->result());
    window.sessionBrowser()->setCurrentIndex(0);
    QVERIFY(window.outputs() == outA);
  }
};

QTEST_MAIN(SessionSwitchKeepsResultsTest)
#include "SessionSwitchKeepsResultsTest.moc"
