// Device mapping on the shipped samples: every mismatch names the session's devices, the model's
// device slots (in H order) and a --devices value that fits; one sensor feeds two slots only
// with shareDevice, and then each window holds the same samples on both H rows, reported once.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/PreprocessingCheck.hpp"
#include "pipeline/WindowFeed.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

const std::filesystem::path kModel = "samples/models/dog_behavior_conv2d";
const std::filesystem::path kCollarOnly = "samples/sessions/dog_2min_collar.h5";
const std::filesystem::path kCollarHarness = "samples/sessions/dog_10min_collar_harness.h5";

ModelBundle sampleModel() {
  return loadModelBundle(test::sourceDir() / kModel);
}

// The error of a feed built with these devices; fails the test when none is thrown.
Error mappingError(const SampleSource& source, const std::vector<std::string>& devices,
                   bool share = false) {
  const ModelBundle bundle = sampleModel();
  WindowFeedOptions options;
  options.devices = devices;
  options.shareDevice = share;
  try {
    WindowFeed feed(bundle, source, options);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "the feed accepted an impossible device mapping";
  return Error("", "", "");
}

std::string text(const Error& error) {
  return error.where() + " | " + error.problem() + " | " + error.fix();
}

void expectNamesSessionSlotsAndFix(const Error& error, const std::string& sessionDevices,
                                   const std::string& fix) {
  EXPECT_NE(error.problem().find("session devices: " + sessionDevices), std::string::npos)
      << text(error);
  EXPECT_NE(error.problem().find("model device slots: H0 collar, H1 harness"), std::string::npos)
      << text(error);
  EXPECT_NE(error.fix().find(fix), std::string::npos) << text(error);
}

TEST(DeviceMapping, EveryMismatchNamesSessionDevicesModelSlotsAndAFix) {
  FileSource collarOnly(test::sourceDir() / kCollarOnly);
  FileSource both(test::sourceDir() / kCollarHarness);
  // A model slot with no session device: the only sensor, shared, is the fix.
  Error error = mappingError(collarOnly, {});
  EXPECT_NE(error.problem().find("slot 'harness'"), std::string::npos) << text(error);
  expectNamesSessionSlotsAndFix(error, "collar;", "--devices collar,collar --share-device");
  // An unknown name in --devices.
  error = mappingError(both, {"collar", "vest"});
  EXPECT_NE(error.problem().find("'vest'"), std::string::npos) << text(error);
  expectNamesSessionSlotsAndFix(error, "collar, harness;", "--devices collar,harness");
  // The wrong count.
  error = mappingError(both, {"harness"});
  EXPECT_NE(error.problem().find("takes 2 device(s)"), std::string::npos) << text(error);
  expectNamesSessionSlotsAndFix(error, "collar, harness;", "--devices collar,harness");
  // A repeated device without --share-device: the fix names the flag.
  error = mappingError(collarOnly, {"collar", "collar"});
  EXPECT_NE(error.problem().find("'collar' on H0 and H1"), std::string::npos) << text(error);
  expectNamesSessionSlotsAndFix(error, "collar;", "--share-device");
  error = mappingError(both, {"harness", "harness"});
  expectNamesSessionSlotsAndFix(error, "collar, harness;", "--devices collar,harness");
}

TEST(DeviceMapping, ASharedDeviceFillsBothSlotsWithTheSameSamplesAndIsReportedOnce) {
  const ModelBundle bundle = sampleModel();
  FileSource collarOnly(test::sourceDir() / kCollarOnly);
  WindowFeedOptions options;
  options.devices = {"collar", "collar"};
  options.shareDevice = true;
  WindowFeed feed(bundle, collarOnly, options);
  EXPECT_EQ(feed.devices(), options.devices);
  // NCHW_devices [N, 9, 2, 100]: the H0 and H1 rows of every channel are the same samples.
  const std::size_t length = 100, channels = 9;
  FeedBatch fed;
  std::size_t windows = 0;
  while (feed.next(fed)) {
    ASSERT_EQ(fed.batch.values.size(), fed.size() * channels * 2 * length);
    for (std::size_t n = 0; n < fed.size(); ++n)
      for (std::size_t c = 0; c < channels; ++c) {
        const float* h0 = fed.batch.values.data() + ((n * channels + c) * 2) * length;
        ASSERT_TRUE(std::equal(h0, h0 + length, h0 + length)) << "window " << windows + n;
      }
    windows += fed.size();
  }
  EXPECT_GT(windows, 0u);
  EXPECT_EQ(windows, feed.candidateCount() - feed.skippedTotal().skipped());
  std::size_t shared = 0;
  for (const auto& finding : feed.findings())
    if (finding.code == "device_shared") {
      ++shared;
      EXPECT_EQ(finding.severity, Severity::Warning);
      EXPECT_NE(finding.message.find("'collar' on H0 and H1"), std::string::npos);
    }
  EXPECT_EQ(shared, 1u);
}

TEST(DeviceMapping, ThePreprocessingCheckReadsASharedDeviceOnce) {
  const ModelBundle bundle = sampleModel();
  FileSource collarOnly(test::sourceDir() / kCollarOnly);
  PreprocessingOptions options;
  options.devices = {"collar", "collar"};
  EXPECT_THROW(checkPreprocessing(bundle.manifest, collarOnly, options), Error);
  options.shareDevice = true;
  std::vector<DeviceStats> stats;
  const auto shared = checkPreprocessing(bundle.manifest, collarOnly, options, &stats);
  EXPECT_EQ(stats.size(), 1u);
  // The same findings as checking the collar alone on a one-device (NTC) view of the model.
  Manifest single = bundle.manifest;
  single.input.layout = InputLayout::NTC;
  single.input.shape = {1, 100, 9};
  single.input.devices.clear();
  const auto once = checkPreprocessing(single, collarOnly, PreprocessingOptions{});
  ASSERT_EQ(shared.size(), once.size());
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_EQ(shared[i].code, once[i].code);
}

}  // namespace
}  // namespace imuwb
