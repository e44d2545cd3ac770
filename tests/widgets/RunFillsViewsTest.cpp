// A run completes off the GUI thread and fills every output view: probabilities, predicted
// strip, motif scores and the latent heatmap. Uses the bundled sample session and model through
// core's RunJob; the window count is checked against the windowing rule computed here.
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "LabelStrip.hpp"
#include "LatentHeatmapView.hpp"
#include "MainWindow.hpp"
#include "OutputsFileBridge.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "TimelineView.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"
#include "model/ModelBundle.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
const QString kTwoDevice = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";

std::size_t seriesPoints(WindowSeriesChart* chart) {
  std::size_t n = 0;
  for (int i = 0; i < chart->traceCount(); ++i)
    n += static_cast<std::size_t>(chart->tracePoints(i).size());
  return n;
}
}  // namespace

class RunFillsViewsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!QFileInfo::exists(kTwoDevice) || !QFileInfo::exists(kModel))
      QFAIL("sample session or sample model missing from samples/ (part of the repository)");
  }

  void realRunFillsEveryOutputView() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(kTwoDevice));
    QVERIFY(window.openPath(kModel));
    QVERIFY(window.canRun());
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto outputs = window.outputs();
    QVERIFY(outputs);
    // 10 min at 100 Hz, windows of 100 with stride 50 -> (60000 - 100) / 50 + 1 windows.
    QCOMPARE(outputs->windowCount(), std::size_t((60000 - 100) / 50 + 1));
    QCOMPARE(outputs->probabilities.width, std::size_t(10));
    QCOMPARE(outputs->motifScores.width, std::size_t(12));
    QCOMPARE(outputs->latent.width, std::size_t(64));
    // Probabilities are a softmax: every row sums to 1.
    for (std::size_t w = 0; w < outputs->windowCount(); w += 97) {
      double sum = 0;
      for (std::size_t c = 0; c < 10; ++c) sum += outputs->probabilities.at(w, c);
      QCOMPARE_LT(std::abs(sum - 1.0), 1e-4);
    }
    window.refreshAllNow();
    QCOMPARE(window.probabilityChart()->traceCount(), 10);
    QCOMPARE(window.motifChart()->traceCount(), 12);
    QVERIFY(seriesPoints(window.probabilityChart()) > 0);
    QVERIFY(seriesPoints(window.motifChart()) > 0);
    QVERIFY(window.latentView()->hasData());
    QVERIFY(!window.timeline()->labelStrip()->predicted().empty());
    // The heatmap renders one column per plot pixel, one row per latent dimension.
    window.latentView()->grab();
    QCOMPARE(window.latentView()->image().height(), 64);
    QVERIFY(window.latentView()->image().width() > 100);
    const auto readout = window.latentView()->readoutAt(
        QPointF(window.latentView()->width() / 2.0, window.latentView()->height() / 2.0));
    QVERIFY(readout.valid);
    QCOMPARE(readout.value, outputs->latent.at(static_cast<std::size_t>(readout.window),
                                               static_cast<std::size_t>(readout.dimension)));

    // Save, then reopen: the same numbers come back through core's outputs reader.
    QTemporaryDir dir;
    const auto saved = dir.filePath("outputs.h5").toStdString();
    saveOutputs(*outputs, *window.currentSession(), saved);
    const auto reopened = loadOutputs(saved);
    QCOMPARE(reopened.windowStart_s, outputs->windowStart_s);
    QCOMPARE(reopened.probabilities.values, outputs->probabilities.values);
    QCOMPARE(reopened.probabilities.columnNames, outputs->probabilities.columnNames);
    QCOMPARE(reopened.motifScores.values, outputs->motifScores.values);
    QCOMPARE(reopened.latent.values, outputs->latent.values);
    // Opening that file in the window shows it.
    window.showOutputs(nullptr);
    QVERIFY(window.openPath(QString::fromStdString(saved)));
    QVERIFY(window.outputs());
    QCOMPARE(window.outputs()->windowCount(), outputs->windowCount());

    // Running the same combination again is answered from the cache.
    QSignalSpy finished(window.runController(), &RunController::finished);
    window.startRun();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(1).toBool(), true);
  }

  void fakeRunnerOutputsReachTheViews() {
    // Independent of any model: what the runner returns is what the views show.
    MainWindow window([](const RunRequest& request, const JobControl&) {
      return testing::syntheticOutputs(*request.session);
    });
    window.show();
    auto session = testing::syntheticSession(12000);
    window.addSession(session);
    auto bundle = std::make_shared<ModelBundle>();
    bundle->onnxPath = "/nowhere/fake.onnx";
    bundle->manifest.name = "fake";
    window.addModel(bundle);
    QString error;
    QVERIFY2(window.runAndWait(10000, &error), qPrintable(error));
    const auto expected = testing::syntheticOutputs(*session);
    QCOMPARE(window.outputs()->probabilities.values, expected.probabilities.values);
    window.refreshAllNow();
    QCOMPARE(window.probabilityChart()->traceCount(), 3);
    QCOMPARE(window.motifChart()->traceCount(), 12);
    QVERIFY(window.motifChart()->crossingCount() > 0);
    QVERIFY(window.latentView()->hasData());
    // Predicted strip: class changes every 10 windows in the synthetic outputs.
    const auto predicted = window.timeline()->labelStrip()->predicted();
    QCOMPARE(predicted.front().label, std::string("stand"));
    QCOMPARE(predicted[1].label, std::string("walk"));
  }

  void unlabelledSidecarWindowRunsOnThePipelineEncoder() {
    // The pipeline's own fixtures: one sidecar request window (no labels, no classes) and the
    // TCN encoder with its model_config.json. One window of 100 samples -> one latent of 64.
    const QString dir = testing::fixtureDir();
    if (!QFileInfo::exists(dir + "/realistic_imu_sample.json"))
      QFAIL("pipeline fixtures missing from tests/fixtures/pipeline (part of the repository)");
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(dir + "/realistic_imu_sample.json"));
    QVERIFY(window.openPath(dir + "/model_config.json"));
    QVERIFY(window.currentSession()->classes.empty());
    QString error;
    QVERIFY2(window.runAndWait(60000, &error), qPrintable(error));
    QCOMPARE(window.outputs()->windowCount(), std::size_t(1));
    QCOMPARE(window.outputs()->latent.width, std::size_t(64));
    QVERIFY(window.latentView()->hasData());
    QVERIFY(window.outputs()->probabilities.empty());  // an encoder has no classes
  }

  void playbackStreamsAndReportsLatency() {
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    // The sample model wants two devices; the 2-min session has one: playback must say why.
    QSignalSpy finished(window.playback(), &PlaybackController::finished);
    QSignalSpy updated(window.playback(), &PlaybackController::updated);
    window.playbackPanel()->findChild<QComboBox*>()->setCurrentIndex(2);  // as fast as possible
    window.playbackPanel()->playButton()->click();
    QVERIFY(finished.wait(60000));
    const QString message = finished.first().at(0).toString();
    if (message.contains("failed")) {
      QVERIFY(message.contains("device"));  // a clear reason, not a crash
      QCOMPARE(updated.count(), 1);         // the final report only
    }
    // The two-device session plays through.
    QVERIFY(window.openPath(kTwoDevice));
    finished.clear();
    updated.clear();
    window.playbackPanel()->playButton()->click();
    QVERIFY(finished.wait(120000));
    QVERIFY2(!finished.first().at(0).toString().contains("failed"),
             qPrintable(finished.first().at(0).toString()));
    const auto stats = window.playback()->stats();
    QCOMPARE(stats.windows, std::size_t((60000 - 100) / 50 + 1));
    QVERIFY(stats.p95_ms >= stats.p50_ms && stats.p50_ms > 0);
    QVERIFY(window.outputs() && window.outputs()->windowCount() == stats.windows);
    QVERIFY(window.playbackPanel()->latencyText().contains("p95"));
    // Views are updated in batches by the repaint timer, not once per window.
    QVERIFY(updated.count() < static_cast<int>(stats.windows));
  }
};

QTEST_MAIN(RunFillsViewsTest)
#include "RunFillsViewsTest.moc"
