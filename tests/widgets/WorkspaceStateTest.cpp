// The workspace state's rules, on outputs of real runs of the sample model over two sessions
// (core's run job, through the GUI's runModelOverSession): results belong to their session, a
// failed run or playback keeps the last good outputs, a stopped playback is partial, and
// attaching labels (a new Session object) keeps the session's results.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "CoreRun.hpp"
#include "WorkbenchSamples.hpp"
#include "WorkspaceState.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class WorkspaceStateTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::shared_ptr<const ModelBundle> bundle_;
  std::shared_ptr<const Session> a_, b_;
  std::shared_ptr<const ModelOutputs> outA_, outB_;
  RunKey keyA_, keyB_;

  std::shared_ptr<const ModelOutputs> run(const std::shared_ptr<const Session>& session,
                                          RunKey& key) {
    RunRequest request{session, bundle_, "cpu", 50, {}};
    key = request.key();
    return std::make_shared<const ModelOutputs>(runModelOverSession(request, {}));
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!testing::samplesPresent()) QFAIL("sample session or model missing from samples/");
    bundle_ =
        std::make_shared<const ModelBundle>(loadModelBundle(testing::sampleModel().toStdString()));
    a_ = std::make_shared<const Session>(loadSession(testing::twoDeviceSession().toStdString()));
    const auto shortPath = testing::writeShortSession(dir_.filePath("short.h5"), 12000);
    b_ = std::make_shared<const Session>(loadSession(shortPath.toStdString()));
    outA_ = run(a_, keyA_);
    outB_ = run(b_, keyB_);
    // Windows of 100 samples every 50: the windowing rule, computed here.
    QCOMPARE(outA_->windowCount(), std::size_t((60000 - 100) / 50 + 1));
    QCOMPARE(outB_->windowCount(), std::size_t((12000 - 100) / 50 + 1));
  }

  void resultsBelongToTheirSession() {
    WorkspaceState state;
    state.addSession({a_, nullptr, {}});
    state.addSession({b_, nullptr, {}});
    QSignalSpy changed(&state, &WorkspaceState::resultsChanged);
    QVERIFY(state.setCurrent(0));
    state.runFinished(a_.get(), keyA_, outA_, false);
    QCOMPARE(changed.count(), 1);
    QVERIFY(state.currentResults().outputs == outA_);
    QCOMPARE(state.currentResults().outputsNote, QString("1199 windows"));
    QVERIFY(state.setCurrent(1));
    QVERIFY(!state.currentResults().outputs);  // not the other session's
    state.runFinished(b_.get(), keyB_, outB_, false);
    QVERIFY(state.setCurrent(0));
    QVERIFY(state.currentResults().outputs == outA_);
    QVERIFY(*state.currentResults().runKey == keyA_);
    QVERIFY(state.results(b_.get()).outputs == outB_);
  }

  void aFailedRunKeepsTheGoodOne() {
    WorkspaceState state;
    state.addSession({a_, nullptr, {}});
    state.setCurrent(0);
    state.runFinished(a_.get(), keyA_, outA_, false);
    state.runFailed(a_.get(), "int8 backend: no quantization parameters");
    QVERIFY(state.currentResults().outputs == outA_);
    QCOMPARE(state.currentResults().lastRunError,
             QString("int8 backend: no quantization parameters"));
    state.runFinished(a_.get(), keyA_, outA_, true);
    QVERIFY(state.currentResults().lastRunError.isEmpty());
    QCOMPARE(state.currentResults().outputsNote, QString("1199 windows (from cache)"));
  }

  void aStoppedPlaybackIsPartialAndAFailedOneRestores() {
    WorkspaceState state;
    state.addSession({a_, nullptr, {}});
    state.setCurrent(0);
    state.runFinished(a_.get(), keyA_, outA_, false);
    // A playback that fails at once (its only snapshot is empty) leaves the run's outputs.
    state.playbackStarted(a_.get(), 0, 0);
    state.playbackUpdated(a_.get(), std::make_shared<const ModelOutputs>(), {});
    QVERIFY(state.currentResults().outputs == outA_);
    state.playbackEnded(a_.get(), PlaybackRecord::End::Failed, "playback failed: no calibration");
    QVERIFY(state.currentResults().outputs == outA_);
    QCOMPARE(state.currentResults().outputsNote, QString("1199 windows"));
    QCOMPARE(state.currentResults().playback->message, QString("playback failed: no calibration"));

    // A playback stopped after 100 windows: partial, and kept.
    auto partial = std::make_shared<ModelOutputs>(*outA_);
    const std::size_t done = 100;
    partial->windowStart_s.resize(done);
    for (auto* m : {&partial->probabilities, &partial->motifScores, &partial->latent})
      m->values.resize(done * m->width);
    LatencyStats stats;
    stats.windows = done;
    stats.windowsTotal = outA_->windowCount();
    state.playbackStarted(a_.get(), 0, 0);
    state.playbackUpdated(a_.get(), std::shared_ptr<const ModelOutputs>(partial), stats);
    state.playbackEnded(a_.get(), PlaybackRecord::End::Stopped, "playback stopped");
    const auto& results = state.currentResults();
    QCOMPARE(results.outputs->windowCount(), done);
    QVERIFY(results.playback->partial());
    QCOMPARE(results.playback->summary(), QString("partial (100 of 1199 windows)"));
    QVERIFY(results.outputsNote.contains("partial (100 of 1199 windows)"));
    QCOMPARE(results.outputsFraction, 100.0 / 1199.0);
  }

  void replacingASessionKeepsItsResults() {
    WorkspaceState state;
    state.addSession({a_, nullptr, {}});
    state.setCurrent(0);
    state.runFinished(a_.get(), keyA_, outA_, false);
    auto relabelled = std::make_shared<const Session>(*a_);
    state.replaceSession(0, relabelled);
    QVERIFY(state.currentSession() == relabelled);
    QVERIFY(state.currentResults().outputs == outA_);
  }
};

QTEST_MAIN(WorkspaceStateTest)
#include "WorkspaceStateTest.moc"
