// The GUI shows model outputs two ways: a Run (core's run job writes an outputs file, the views
// read it back) and live playback (windows streamed one at a time, assembled by
// OutputAssembler). Both take their host-side post-processing from core's DerivedOutputs, so for
// the same session, model and stride they must show the same windows and the same numbers.
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

#include "JobOptionsFromWidgets.hpp"
#include "OutputAssembler.hpp"
#include "OutputsFileBridge.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowStream.hpp"
#include "jobs/RunJob.hpp"
#include "model/ModelBundle.hpp"
#include "session/SessionIo.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

const QString kTwoDevice = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";

// Largest absolute difference; the raw outputs of one window batched alone or with others may
// differ in the last bits of float rounding (GEMM blocking), nothing more.
double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

}  // namespace

class AssembledOutputsMatchRunTest : public QObject {
  Q_OBJECT
 private slots:
  void playbackAssemblesWhatTheRunJobWrites() {
    auto session = std::make_shared<const Session>(loadSession(kTwoDevice.toStdString()));
    auto bundle = std::make_shared<const ModelBundle>(loadModelBundle(kModel.toStdString()));
    QTemporaryDir dir;
    RunRequest request;
    request.session = session;
    request.bundle = bundle;
    request.strideSamples = 50;

    // The Run button's path: the run job with the GUI's options, its file read back.
    const auto options = runOptionsFor(request, dir.filePath("run.h5").toStdString());
    jobs::runRunJob(*bundle, options, {}, session.get());
    const ModelOutputs run = loadOutputs(options.run.outPath);

    // Live playback's path: one window per backend call, assembled as it streams.
    auto backend = jobs::loadBackend(*bundle, options);
    WindowStream stream(session, bundle, *backend, request.strideSamples);
    OutputAssembler assembler(*bundle, backend->describe().name, request.strideSamples,
                              session->sampleRateHz);
    OutputSet outputs;
    std::vector<double> starts;
    while (stream.next(1, outputs, starts)) assembler.add(outputs, starts);
    const ModelOutputs& live = assembler.outputs();

    QCOMPARE(live.windowCount(), std::size_t((60000 - 100) / 50 + 1));
    QCOMPARE(live.windowStart_s, run.windowStart_s);
    QCOMPARE(live.probabilities.width, run.probabilities.width);
    QCOMPARE(live.probabilities.columnNames, run.probabilities.columnNames);
    QCOMPARE(live.motifScores.width, run.motifScores.width);
    QCOMPARE(live.latent.width, run.latent.width);
    QCOMPARE(live.probabilities.values.size(), run.probabilities.values.size());
    QCOMPARE(live.motifScores.values.size(), run.motifScores.values.size());
    QCOMPARE(live.latent.values.size(), run.latent.values.size());
    QVERIFY(!live.probabilities.empty() && !live.motifScores.empty() && !live.latent.empty());
    QCOMPARE_LT(maxAbsDiff(live.latent.values, run.latent.values), 1e-5);
    QCOMPARE_LT(maxAbsDiff(live.motifScores.values, run.motifScores.values), 1e-6);
    QCOMPARE_LT(maxAbsDiff(live.probabilities.values, run.probabilities.values), 1e-6);
    // The same decision for every window.
    for (std::size_t w = 0; w < live.windowCount(); ++w)
      QCOMPARE(live.predictedClass(w), run.predictedClass(w));
  }
};

QTEST_MAIN(AssembledOutputsMatchRunTest)
#include "AssembledOutputsMatchRunTest.moc"
