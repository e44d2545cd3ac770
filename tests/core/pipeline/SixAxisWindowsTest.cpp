// Windows from 6-axis devices: a window that needs the magnetometer is refused before a sample
// is read, naming the device and the fix; a 6-channel window takes ax..gz from any device; the
// on-the-fly resampler keeps each device's own width.
#include <gtest/gtest.h>

#include "pipeline/ResampledSource.hpp"
#include "pipeline/Windower.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/resample/SessionResampling.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

Session recording(bool magnetometer, double rateHz = 100, double seconds = 30) {
  GeneratorOptions options;
  options.durationSeconds = seconds;
  options.sampleRateHz = rateHz;
  options.seed = 11;
  options.magnetometer = magnetometer;
  return generateSession(options);
}

std::vector<float> allWindows(Windower& windower) {
  std::vector<float> raw;
  WindowBlock block;
  while (windower.next(block)) raw.insert(raw.end(), block.raw.begin(), block.raw.end());
  return raw;
}

TEST(SixAxisWindows, NineChannelWindowsAreRefusedForADeviceWithoutMagnetometer) {
  const Session six = recording(false);
  const InMemorySource source(six);
  WindowerOptions options;
  options.devices = {"collar", "harness"};
  options.channels = 9;
  const std::string message = test::errorText([&] { Windower(source, options); });
  EXPECT_NE(message.find("device 'collar'"), std::string::npos) << message;
  EXPECT_NE(message.find("has no magnetometer (mx my mz)"), std::string::npos) << message;
  EXPECT_NE(message.find("6 input channels"), std::string::npos) << message;
}

TEST(SixAxisWindows, SixChannelWindowsAreTheSameFromSixAndNineAxisDevices) {
  const Session six = recording(false), nine = recording(true);
  const InMemorySource sixSource(six), nineSource(nine);
  WindowerOptions options;
  options.devices = {"collar", "harness"};
  options.channels = 6;
  Windower fromSix(sixSource, options), fromNine(nineSource, options);
  const auto a = allWindows(fromSix);
  const auto b = allWindows(fromNine);
  ASSERT_EQ(fromSix.candidateCount(), (3000u - 100) / 50 + 1);
  ASSERT_EQ(a.size(), fromSix.candidateCount() * 2 * 100 * 6);
  EXPECT_EQ(a, b);
  // Window k, device d, sample s, channel c is session row 50k + s of device d, channel c.
  const std::size_t k = 7, d = 1, s = 33, c = 4;
  EXPECT_EQ(a[((k * 2 + d) * 100 + s) * 6 + c], six.devices[d].at(50 * k + s, c));
}

TEST(SixAxisWindows, NineChannelWindowsFromNineAxisDevicesAreUnchanged) {
  const Session nine = recording(true);
  const InMemorySource source(nine);
  WindowerOptions options;
  options.devices = {"harness"};
  Windower windower(source, options);
  const auto raw = allWindows(windower);
  ASSERT_EQ(raw.size(), windower.candidateCount() * 100 * 9);
  EXPECT_EQ(raw[(3 * 100 + 20) * 9 + 8], nine.devices[1].at(150 + 20, 8));
}

TEST(SixAxisWindows, NanInAnUnusedChannelDoesNotSkipTheWindow) {
  Session nine = recording(true);
  nine.devices[0].samples[500 * 9 + 7] = std::nanf("");  // my of row 500
  const InMemorySource source(nine);
  WindowerOptions options;
  options.devices = {"collar"};
  options.channels = 6;
  Windower sixWindows(source, options);
  allWindows(sixWindows);
  EXPECT_EQ(sixWindows.skipped().nanWindows, 0u);
  options.channels = 9;
  Windower nineWindows(source, options);
  allWindows(nineWindows);
  EXPECT_EQ(nineWindows.skipped().nanWindows, 2u);  // windows starting at 450 and 500
}

TEST(SixAxisWindows, OnTheFlyResamplingKeepsEachDevicesWidth) {
  Session mixed = recording(false, 200);
  const Session nine = recording(true, 200);
  mixed.devices[1] = nine.devices[1];  // collar 6-axis, harness 9-axis
  const ResampledSource source(std::make_unique<InMemorySource>(mixed), 100);
  EXPECT_EQ(source.channelCount(0), 6);
  EXPECT_EQ(source.channelCount(1), 9);
  const ResampleRatio ratio = exactResampleRatio(200, 100);
  for (std::size_t d = 0; d < 2; ++d) {
    const auto width = static_cast<std::size_t>(mixed.devices[d].channels);
    const auto whole = resamplePoly(mixed.devices[d].samples, width, ratio);
    ASSERT_EQ(whole.size(), source.rowCount() * width);
    std::vector<float> rows(500 * width);
    source.readRows(d, 1000, 500, rows.data());
    EXPECT_TRUE(std::equal(rows.begin(), rows.end(), whole.begin() + 1000 * width)) << d;
  }
}

TEST(SixAxisWindows, ResamplingAFileKeepsSixColumns) {
  test::TempDir dir;
  const Session six = recording(false, 200, 20);
  saveSession(six, dir / "six200.h5");
  resampleSessionFile(dir / "six200.h5", dir / "six100.h5", 100, nlohmann::json::object());
  const Session resampled = loadSession(dir / "six100.h5");
  const ResampleRatio ratio = exactResampleRatio(200, 100);
  for (std::size_t d = 0; d < 2; ++d) {
    EXPECT_EQ(resampled.devices[d].channels, 6);
    EXPECT_EQ(resampled.devices[d].samples, resamplePoly(six.devices[d].samples, 6, ratio));
  }
  EXPECT_EQ(resampled.labels.size(), six.labels.size());
}

}  // namespace
}  // namespace imuwb
