// The evaluate job on a session file with unlabelled time, a class the model lacks and label
// boundaries: every window is counted in exactly one place (none silently dropped), windows cut
// by the feed's gap and NaN rules are reported, progress rises to 1, and a stop request cancels
// without writing the report; reports pass the output-path policy.
#include <gtest/gtest.h>

#include <fstream>
#include <stop_token>

#include "core/pipeline/WindowPeer.hpp"
#include "jobs/EvaluateJob.hpp"
#include "model/ModelBundle.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class EvaluateJob : public ::testing::Test {
 protected:
  void SetUp() override {
    test::SyntheticSessionSpec spec;
    spec.rows = 12000;  // 2 min
    spec.labels = {{0.0, 30.0, "walk"},
                   {30.0, 45.5, "trot"},
                   {60.0, 75.0, "zoomies"},
                   {75.0, 130.0, "stand"}};  // 45.5..60 unlabelled
    auto session = test::makeSyntheticSession(spec);
    session.classes.push_back("zoomies");  // not a class of the sample model
    saveSession(session, dir / "s.h5");
    bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
    options.sessions = {dir / "s.h5"};
    options.alpha = 0.2;
  }

  test::TempDir dir;
  ModelBundle bundle;
  jobs::EvaluateJobOptions options;
};

TEST_F(EvaluateJob, EveryWindowIsCountedOnceAndNoneSilentlyDropped) {
  options.reports.json = dir / "e.json";
  std::vector<double> progress;
  JobControl control;
  control.onProgress = [&](double fraction, std::string_view) { progress.push_back(fraction); };
  const auto r = jobs::runEvaluateJob(bundle, options, control);
  const auto& c = r.counts;
  EXPECT_GT(c.unlabelled, 0u);
  EXPECT_GT(c.unknownClass, 0u);
  EXPECT_GT(c.mixedLabels, 0u);
  EXPECT_GT(c.skippedGap, 0u);
  EXPECT_GT(c.skippedNan, 0u);
  EXPECT_EQ(c.labelled + c.unlabelled + c.unknownClass, c.windows);
  EXPECT_EQ(c.calibration + c.test, c.labelled);
  EXPECT_EQ(c.unknownClasses, std::vector<std::string>{"zoomies"});
  ASSERT_FALSE(c.firstUnlabelledTimes_s.empty());
  EXPECT_GE(c.firstUnlabelledTimes_s[0], 45.5 - 1.0);  // a window centred in 45.5..60
  // Windows over the whole session: candidates = (rows - 100) / 50 + 1.
  EXPECT_EQ(c.windows + c.skippedGap + c.skippedNan, (12000u - 100u) / 50u + 1u);
  EXPECT_EQ(r.sides.at(0).decisions.windows, c.labelled);
  EXPECT_TRUE(std::filesystem::exists(dir / "e.json"));
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 1.0);
  for (std::size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i], progress[i - 1]);
}

TEST_F(EvaluateJob, StopRequestCancelsAndWritesNoReport) {
  options.reports.json = dir / "e.json";
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  control.onProgress = [&](double fraction, std::string_view) {
    if (fraction > 0) stop.request_stop();
  };
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options, control), Cancelled);
  EXPECT_FALSE(std::filesystem::exists(dir / "e.json"));
}

TEST_F(EvaluateJob, Int8WithoutCalibrationIsRefusedBeforeAnyWindow) {
  options.compareBackend = "int8";
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options), Error);
  options.compareBackend = "cpu";  // the same backend twice
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options), Error);
}

TEST_F(EvaluateJob, ReportsPassTheOutputPathPolicy) {
  options.reports.json = dir / "s.h5";  // the session itself
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options), Error);
  options.reports.json = dir / "e.json";
  options.reports.html = dir / "e.json";  // two reports on one file
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options), Error);
  std::ofstream(dir / "old.json") << "{}";
  options.reports = {dir / "old.json", {}, {}};  // exists, no force
  EXPECT_THROW(jobs::runEvaluateJob(bundle, options), Error);
  options.force = true;
  EXPECT_NO_THROW(jobs::runEvaluateJob(bundle, options));
}

}  // namespace
}  // namespace imuwb
