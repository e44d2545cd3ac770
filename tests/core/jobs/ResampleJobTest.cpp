// resample as a core job: options in, the plan out, progress and cancellation through JobControl
// (a cancelled resampling leaves no output), and the output-path policy inside the job.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "jobs/ResampleJob.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "support/ProgressRecorder.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

std::filesystem::path writeSource(const test::TempDir& dir) {
  GeneratorOptions generator;
  generator.durationSeconds = 1500;  // several blocks per device
  generator.seed = 4;
  saveSession(generateSession(generator), dir / "source.h5");
  return dir / "source.h5";
}

TEST(ResampleJob, ReportsThePlanAndProgressToTheEnd) {
  test::TempDir dir;
  ResampleJobOptions options;
  options.input = writeSource(dir);
  options.output = dir / "out.h5";
  options.targetRateHz = 28;
  JobControl control;
  test::ProgressRecorder progress;
  progress.attach(control);
  const auto result = runResampleJob(options, control);
  EXPECT_EQ(result.up, 7);
  EXPECT_EQ(result.down, 25);
  EXPECT_EQ(result.filter, "kaiser beta 5, half_len 250");
  EXPECT_EQ(result.inputRows, 150000u);
  EXPECT_EQ(result.outputRows, 42000u);
  EXPECT_EQ(result.devices, 2u);
  EXPECT_FALSE(result.irregular);
  EXPECT_TRUE(progress.monotonic);
  EXPECT_DOUBLE_EQ(progress.last, 1.0);
  EXPECT_EQ(loadSession(options.output).sampleCount(), 42000u);
}

TEST(ResampleJob, CancelledMidwayLeavesNoOutput) {
  test::TempDir dir;
  ResampleJobOptions options;
  options.input = writeSource(dir);
  options.output = dir / "out.h5";
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  int reports = 0;
  control.onProgress = [&](double, std::string_view) {
    if (++reports == 2) stop.request_stop();  // after some blocks were written
  };
  options.targetRateHz = 50;
  EXPECT_THROW(runResampleJob(options, control), Cancelled);
  EXPECT_GE(reports, 2);
  std::vector<std::filesystem::path> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    left.push_back(entry.path().filename());
  EXPECT_EQ(left, std::vector<std::filesystem::path>{"source.h5"});
}

TEST(ResampleJob, MissingOptionsAndInputAsOutputAreRefused) {
  test::TempDir dir;
  ResampleJobOptions options;
  EXPECT_THROW(runResampleJob(options), Error);
  options.input = writeSource(dir);
  EXPECT_THROW(runResampleJob(options), Error);  // no output
  options.output = options.input;
  EXPECT_THROW(runResampleJob(options), Error);
  EXPECT_EQ(loadSession(options.input).sampleRateHz, 100.0);
}

}  // namespace
}  // namespace imuwb::jobs
