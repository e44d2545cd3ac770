// int8 works the same from every panel (issue 15): the calibration set chosen once serves Run,
// Parity and live Playback; messages name GUI actions, never CLI flags; and a failed playback
// neither wipes the outputs shown before nor makes the charts claim the model has no outputs.
// Real int8 runs of the sample model on a calibration set cut by core's calibration export.
#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "BackendChoiceBox.hpp"
#include "CalibrationChoice.hpp"
#include "FindingsPanel.hpp"
#include "MainWindow.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "TimeAxisModel.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchSamples.hpp"
#include "io/Npy.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class Int8PlaybackCalibrationTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString calibration_;

  static void expectGuiWording(const QString& text) {
    QVERIFY2(!text.contains("--"), qPrintable(text));  // no CLI flag
    QVERIFY2(text.contains(calibrationAction()), qPrintable(text));
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
    if (!testing::samplesPresent()) QFAIL("sample session or model missing from samples/");
    calibration_ = testing::exportCalibration(dir_.path());
  }

  void int8PlaybackUsesTheRememberedCalibrationSet() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));  // cpu: the good outputs
    const auto good = window.outputs();
    window.runPanel()->backendBox()->setCurrentBackend("int8");
    window.playbackPanel()->setSpeed(0);

    // No calibration chosen: Play says where to choose one, in GUI words; nothing is wiped.
    window.startPlayback();
    QVERIFY(!window.playback()->running());
    expectGuiWording(window.playbackPanel()->statusText());
    QCOMPARE(window.findingsPanel()->count(), 1);
    expectGuiWording(window.findingsPanel()->message(0).problem);
    QVERIFY(window.outputs() == good);

    // A remembered file that int8 cannot load (set behind the chooser's back): the playback
    // fails in the backend; the outputs shown before stay, and the charts still show them.
    const QString bogus = dir_.filePath("bogus.npy");
    io::NpyArray flat;
    flat.shape = {4};
    flat.bytes.resize(16);
    io::writeNpy(bogus.toStdString(), flat);
    QSettings().setValue("parity/calibration", bogus);
    QSignalSpy finished(window.playback(), &PlaybackController::finished);
    window.startPlayback();
    QVERIFY(finished.wait(120000));
    QCOMPARE(window.playback()->lastEnd(), PlaybackController::End::Failed);
    QVERIFY(window.outputs() == good);
    QVERIFY(window.probabilityChart()->matrix() == &good->probabilities);
    QVERIFY(window.motifChart()->matrix() == &good->motifScores);
    QVERIFY(!window.playbackPanel()->statusText().contains("--"));

    // The chooser rejects that file and forgets it: it is not preselected next time.
    QVERIFY(!window.chooseCalibration(bogus, &error));
    QVERIFY(rememberedCalibration().isEmpty());
    // Chosen once (as Run ▸ Calibration Set… does), it serves Run and Playback alike.
    QVERIFY2(window.chooseCalibration(calibration_, &error), qPrintable(error));
    QCOMPARE(rememberedCalibration(), calibration_);
    QVERIFY2(window.runAndWait(300000, &error), qPrintable(error));
    const auto int8Run = window.outputs();
    QCOMPARE(int8Run->backendName, std::string("int8"));
    window.timeAxis()->clearSelection();
    window.timeAxis()->setCursor(540.0);
    finished.clear();
    window.startPlayback();
    QVERIFY(finished.wait(300000));
    QVERIFY2(window.playback()->lastEnd() == PlaybackController::End::Complete,
             qPrintable(finished.first().at(0).toString()));
    const auto played = window.outputs();
    QCOMPARE(played->windowCount(), std::size_t((60000 - 54000 - 100) / 50 + 1));
    // The same calibration set gives the same int8 model: playback's windows are the run's.
    for (std::size_t w = 0; w < played->windowCount(); w += 7)
      for (std::size_t c = 0; c < played->probabilities.width; ++c)
        QVERIFY(std::abs(played->probabilities.at(w, c) - int8Run->probabilities.at(1080 + w, c)) <
                1e-5f);
  }

  void int8RunWithoutCalibrationNamesTheGuiAction() {
    QSettings().remove("parity/calibration");
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    window.runPanel()->backendBox()->setCurrentBackend("int8");
    window.startRun();
    QVERIFY(!window.runController()->busy());
    expectGuiWording(window.runPanel()->statusText());
    // Core's own int8 error, as it would reach the window, is reworded too.
    const auto message = parseWorkbenchMessage(
        Severity::Error, "Run",
        "int8 backend: no quantization parameters\n  fix: pass --calib C.npy (1024 "
        "representative windows, preprocessed as at inference) or --quant-params Q.json");
    expectGuiWording(message.fix);
    QCOMPARE(message.where, QString("int8 backend"));
  }
};

QTEST_MAIN(Int8PlaybackCalibrationTest)
#include "Int8PlaybackCalibrationTest.moc"
