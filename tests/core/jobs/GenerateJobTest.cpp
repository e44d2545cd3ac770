// generate as a core job: options in (the generator's choices and the output), the written
// session out, progress and cancellation through JobControl, and the output-path policy inside
// the job (an existing file is replaced only with force).
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "jobs/GenerateJob.hpp"
#include "session/SessionIo.hpp"
#include "support/ProgressRecorder.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

GenerateJobOptions shortSession(const std::filesystem::path& out) {
  GenerateJobOptions options;
  options.output = out;
  options.generator.durationSeconds = 30;
  options.generator.seed = 3;
  options.generator.devices = {"collar"};
  return options;
}

TEST(GenerateJob, WritesTheSessionItWasAskedForAndReportsProgress) {
  test::TempDir dir;
  auto options = shortSession(dir / "s.h5");
  JobControl control;
  test::ProgressRecorder progress;
  progress.attach(control);
  const auto result = runGenerateJob(options, control);
  EXPECT_EQ(result.sampleCount, 3000u);  // 30 s at the contract's 100 Hz
  EXPECT_EQ(result.devices, (std::vector<std::string>{"collar"}));
  EXPECT_TRUE(progress.monotonic);
  EXPECT_DOUBLE_EQ(progress.last, 1.0);
  const Session session = loadSession(options.output);
  ASSERT_EQ(session.devices.size(), 1u);
  EXPECT_EQ(session.devices[0].name, "collar");
  EXPECT_EQ(session.devices[0].sampleCount(), 3000u);
  EXPECT_DOUBLE_EQ(session.sampleRateHz, 100.0);
  EXPECT_FALSE(session.labels.empty());
  // Same options, same seed: the same samples.
  options.output = dir / "again.h5";
  runGenerateJob(options);
  const Session again = loadSession(options.output);
  EXPECT_EQ(again.devices[0].at(1234, 4), session.devices[0].at(1234, 4));
}

TEST(GenerateJob, CancelledLeavesNothingBehind) {
  test::TempDir dir;
  auto options = shortSession(dir / "s.h5");
  std::stop_source stop;
  stop.request_stop();
  JobControl control;
  control.stop = stop.get_token();
  EXPECT_THROW(runGenerateJob(options, control), Cancelled);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(GenerateJob, AnExistingOutputIsReplacedOnlyWithForce) {
  test::TempDir dir;
  auto options = shortSession(dir / "s.h5");
  { std::ofstream(options.output) << "keep me"; }
  EXPECT_THROW(runGenerateJob(options), Error);
  std::ifstream kept(options.output);
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "keep me");
  options.force = true;
  runGenerateJob(options);
  EXPECT_EQ(loadSession(options.output).devices[0].sampleCount(), 3000u);
}

}  // namespace
}  // namespace imuwb::jobs
