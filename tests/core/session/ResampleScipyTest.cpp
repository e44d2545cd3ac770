// Resampling against the independent implementation it follows: scipy.signal.resample_poly with
// its defaults (Debian's python3-scipy, always /usr/bin/python3), on a chirp and on real IMU data
// (the EuRoC MAV excerpt, 6 channels at once), down and up, to 1e-4 of the signal's peak.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>
#include <sstream>

#include "io/Npy.hpp"
#include "session/resample/PolyphaseResampler.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

// scipy's output for x ([frames, channels] float64), resampled along axis 0.
std::vector<double> scipyResamplePoly(const std::vector<double>& x, std::size_t channels,
                                      const ResampleRatio& ratio, const test::TempDir& dir) {
  const std::int64_t frames = static_cast<std::int64_t>(x.size() / channels);
  io::writeNpy(dir / "x.npy", io::NpyDType::Float64, {frames, static_cast<std::int64_t>(channels)},
               x.data());
  const std::string script =
      "import sys, numpy as np, scipy.signal as s; "
      "x = np.load(sys.argv[1]); "
      "np.save(sys.argv[2], s.resample_poly(x, int(sys.argv[3]), int(sys.argv[4]), axis=0))";
  const auto result =
      test::runCommand(test::shellQuote(test::pythonPath()) + " -c " + test::shellQuote(script) +
                       " " + test::shellQuote((dir / "x.npy").string()) + " " +
                       test::shellQuote((dir / "y.npy").string()) + " " + std::to_string(ratio.up) +
                       " " + std::to_string(ratio.down));
  EXPECT_EQ(result.exitCode, 0) << result.errors;
  const io::NpyArray y = io::readNpy(dir / "y.npy");
  EXPECT_EQ(y.dtype, io::NpyDType::Float64);
  std::vector<double> values(static_cast<std::size_t>(y.elementCount()));
  std::memcpy(values.data(), y.bytes.data(), values.size() * sizeof(double));
  return values;
}

// Max over channels of max |ours - scipy| / peak |scipy| of that channel.
double maxRelativeError(const std::vector<float>& x, std::size_t channels, double sourceHz,
                        double targetHz) {
  const ResampleRatio ratio = exactResampleRatio(sourceHz, targetHz);
  test::TempDir dir;
  const std::vector<double> input(x.begin(), x.end());
  const std::vector<double> expected = scipyResamplePoly(input, channels, ratio, dir);
  const std::vector<float> ours = resamplePoly(x, channels, ratio);
  EXPECT_EQ(ours.size(), expected.size()) << sourceHz << " -> " << targetHz;
  if (ours.size() != expected.size()) return 1e9;
  double worst = 0;
  for (std::size_t c = 0; c < channels; ++c) {
    double peak = 0, error = 0;
    for (std::size_t i = c; i < ours.size(); i += channels) {
      peak = std::max(peak, std::abs(expected[i]));
      error = std::max(error, std::abs(ours[i] - expected[i]));
    }
    worst = std::max(worst, error / peak);
  }
  std::printf(
      "[ resample %g Hz -> %g Hz (up %lld, down %lld), %zu channel(s): max error %.3g of peak ]\n",
      sourceHz, targetHz, static_cast<long long>(ratio.up), static_cast<long long>(ratio.down),
      channels, worst);
  return worst;
}

// A linear chirp from 0.2 Hz to 0.45 x the source rate: crosses every target's Nyquist, so the
// anti-aliasing filter is exercised, not only the pass band.
std::vector<float> chirp(double rateHz, double seconds) {
  const auto n = static_cast<std::size_t>(rateHz * seconds);
  const double f0 = 0.2, f1 = 0.45 * rateHz;
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rateHz;
    x[i] = static_cast<float>(
        3.0 * std::sin(2 * std::numbers::pi * (f0 * t + 0.5 * (f1 - f0) / seconds * t * t)) + 0.5);
  }
  return x;
}

// The EuRoC MAV excerpt (tests/fixtures/README.md): [300, 6] gyro + accel at 200 Hz.
std::vector<float> eurocChannels() {
  std::ifstream in(test::sourceDir() / "tests/fixtures/recordings/euroc_imu0_excerpt.csv");
  EXPECT_TRUE(in.good()) << "EuRoC excerpt missing (part of the repository)";
  std::vector<float> frames;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string field;
    std::getline(fields, field, ',');  // the timestamp
    while (std::getline(fields, field, ',')) frames.push_back(std::stof(field));
  }
  EXPECT_EQ(frames.size(), 300u * 6u);
  return frames;
}

constexpr double kTolerance = 1e-4;

TEST(ResampleScipy, ChirpDownsampledMatchesScipy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  EXPECT_LT(maxRelativeError(chirp(100, 60), 1, 100, 50), kTolerance);
  EXPECT_LT(maxRelativeError(chirp(200, 30), 1, 200, 100), kTolerance);
  EXPECT_LT(maxRelativeError(chirp(100, 60), 1, 100, 28), kTolerance);
}

TEST(ResampleScipy, ChirpUpsampledMatchesScipy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  EXPECT_LT(maxRelativeError(chirp(28, 120), 1, 28, 100), kTolerance);
  EXPECT_LT(maxRelativeError(chirp(50, 60), 1, 50, 100), kTolerance);
}

TEST(ResampleScipy, RealImuDataMatchesScipyDownAndUp) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  const std::vector<float> euroc = eurocChannels();
  // The resampler sees only up/down, so one real recording serves every rate pair.
  for (const auto& [from, to] : std::vector<std::pair<double, double>>{
           {200, 100}, {100, 50}, {100, 28}, {28, 100}, {50, 100}})
    EXPECT_LT(maxRelativeError(euroc, 6, from, to), kTolerance) << from << " -> " << to;
}

TEST(ResampleScipy, StreamingInBlocksEqualsOneBlock) {
  const std::vector<float> x = chirp(100, 20);
  const ResampleRatio ratio = exactResampleRatio(100, 28);
  const std::vector<float> whole = resamplePoly(x, 1, ratio);
  PolyphaseResampler streaming(ratio, 1, x.size());
  std::vector<float> pieces;
  for (std::size_t at = 0, block = 1; at < x.size(); at += block, block = block * 3 % 97 + 1)
    streaming.push(x.data() + at, std::min(block, x.size() - at), pieces);
  streaming.finish(pieces);
  EXPECT_EQ(pieces, whole);
}

TEST(ResampleRatio, DerivedFromTheRatesInLowestTerms) {
  const auto r = exactResampleRatio(28, 100);
  EXPECT_EQ(r.up, 25);
  EXPECT_EQ(r.down, 7);
  const auto half = exactResampleRatio(200, 100);
  EXPECT_EQ(half.up, 1);
  EXPECT_EQ(half.down, 2);
  EXPECT_EQ(exactResampleRatio(100, 28).filterText(), "kaiser beta 5, half_len 250");
  const auto fine = exactResampleRatio(99.9, 100);
  EXPECT_EQ(fine.up, 1000);
  EXPECT_EQ(fine.down, 999);
}

TEST(ResampleRatio, AbsurdFilterIsRefusedNamingTheRatesAndAFix) {
  test::expectMentions(test::errorOf([] { exactResampleRatio(100, 99.99); }),
                       {"100 Hz", "99.99 Hz", "choose a target rate"});
  test::expectMentions(test::errorOf([] { exactResampleRatio(0, 100); }), {"positive"});
}

}  // namespace
}  // namespace imuwb
