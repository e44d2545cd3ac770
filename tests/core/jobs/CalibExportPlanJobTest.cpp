// The job's plan (what `calib-export` would take, nothing written) maps the job's options exactly
// as the export does: the same windows for the same choices, and the export's errors for a
// selection naming what no session has. Its numbers against numpy: tests/core/quant's
// CalibrationPlanTest.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "jobs/CalibExportJob.hpp"
#include "model/ModelBundle.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

TEST(CalibExportPlanJobTest, ThePlanIsTheExportsFirstPassForTheSameOptions) {
  const auto bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
  test::TempDir dir;
  CalibExportJobOptions job;
  job.sessions = {test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5"};
  job.out = dir / "set.npy";
  job.windows = 120;
  job.seed = 3;
  job.ranges = {{"harness", 100, 400}};
  job.classes = {"walk", "trot", "stand"};
  job.balance = quant::CalibrationBalance::Classes;
  const auto plan = planCalibExportJob(bundle, job);
  EXPECT_FALSE(std::filesystem::exists(job.out));
  const auto result = runCalibExportJob(bundle, job);
  ASSERT_TRUE(result.written);
  EXPECT_EQ(plan.classHistogram, result.classHistogram);
  EXPECT_EQ(plan.exported, result.exported);
  EXPECT_EQ(plan.available, result.available);
  EXPECT_EQ(plan.shape, result.shape);
  EXPECT_EQ(plan.selection.outOfRange, result.selection.outOfRange);
  job.classes = {"fly"};
  EXPECT_THROW(planCalibExportJob(bundle, job), Error);
  job.classes = {};
  job.out.clear();  // a plan needs no output path
  EXPECT_EQ(planCalibExportJob(bundle, job).selection.windows, plan.selection.windows);
}

}  // namespace
}  // namespace imuwb::jobs
