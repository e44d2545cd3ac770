// Live playback starts at the cursor (or the selection's start), and stopping it keeps the
// windows it completed, labelled "partial (N of M windows)" in the run and playback panels
// (issue 15: it started at 00:00, and after a stop the run panel still said "1199 windows"). The
// played windows equal the same windows of a full run of the sample model (core's run job).
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "MainWindow.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "TimeAxisModel.hpp"
#include "WorkbenchSamples.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
// Waits (event loop) until the playback has delivered at least `windows` windows.
bool waitForWindows(MainWindow& window, std::size_t windows) {
  QSignalSpy updated(window.playback(), &PlaybackController::updated);
  while (window.playback()->stats().windows < windows) {
    if (!window.playback()->running()) return false;
    if (!updated.wait(60000)) return false;
  }
  return true;
}
}  // namespace

class PartialPlaybackTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!testing::samplesPresent()) QFAIL("sample session or model missing from samples/");
  }

  void stoppedPlaybackFromTheCursorIsPartial() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto full = window.outputs();
    QCOMPARE(full->windowCount(), std::size_t(1199));
    QVERIFY(window.runPanel()->statusText().contains("1199 windows"));

    // Cursor at 300 s; real time, so the stop comes long before the end.
    window.timeAxis()->clearSelection();
    window.timeAxis()->setCursor(300.0);
    window.playbackPanel()->setSpeed(1.0);
    QCOMPARE(window.playbackStart_s(), 300.0);
    QSignalSpy finished(window.playback(), &PlaybackController::finished);
    window.playbackPanel()->playButton()->click();
    QVERIFY(window.playback()->running());
    QVERIFY(waitForWindows(window, 3));
    window.playback()->stop();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(window.playback()->lastEnd(), PlaybackController::End::Stopped);

    const auto played = window.outputs();
    QVERIFY(played && played != full);
    const std::size_t n = played->windowCount();
    // From 300 s to the end: windows of 100 samples every 50 from row 30000.
    const std::size_t m = (60000 - 30000 - 100) / 50 + 1;
    QVERIFY(n >= 3 && n < m);
    QCOMPARE(played->windowStart_s.front(), 300.0);
    const QString partial = QString("partial (%1 of %2 windows)").arg(n).arg(m);
    QVERIFY2(window.runPanel()->statusText().contains(partial),
             qPrintable(window.runPanel()->statusText()));
    QVERIFY2(window.playbackPanel()->statusText().contains(partial),
             qPrintable(window.playbackPanel()->statusText()));
    QVERIFY(window.runPanel()->progressFraction() < 0.5);
    // The windows played are the run's windows from 300 s on (index 600 = 300 s / 0.5 s).
    for (std::size_t w = 0; w < n; ++w) {
      QCOMPARE(played->windowStart_s[w], full->windowStart_s[600 + w]);
      for (std::size_t c = 0; c < played->probabilities.width; ++c)
        QVERIFY(std::abs(played->probabilities.at(w, c) - full->probabilities.at(600 + w, c)) <
                1e-5f);
    }
  }

  void playbackStartsAtTheSelection() {
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    window.timeAxis()->setCursor(10.0);
    window.timeAxis()->setSelection({540.0, 560.0});
    QCOMPARE(window.playbackStart_s(), 540.0);
    window.playbackPanel()->setSpeed(0);  // as fast as possible: plays to the end
    QSignalSpy finished(window.playback(), &PlaybackController::finished);
    window.startPlayback();
    QVERIFY(finished.wait(120000));
    QCOMPARE(window.playback()->lastEnd(), PlaybackController::End::Complete);
    const auto played = window.outputs();
    QCOMPARE(played->windowStart_s.front(), 540.0);
    QCOMPARE(played->windowCount(), std::size_t((60000 - 54000 - 100) / 50 + 1));
    QVERIFY(!window.runPanel()->statusText().contains("partial"));
    QVERIFY(window.runPanel()->statusText().contains("119 windows"));
    // At the end of the session, Play starts again from the beginning.
    window.timeAxis()->clearSelection();
    window.timeAxis()->setCursor(window.timeAxis()->extent().end_s);
    QCOMPARE(window.playbackStart_s(), 0.0);
  }
};

QTEST_MAIN(PartialPlaybackTest)
#include "PartialPlaybackTest.moc"
