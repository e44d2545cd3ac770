#include "session/resample/ResampleRatio.hpp"

#include <cmath>
#include <numeric>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"

namespace imuwb {
namespace {

std::string hz(double rate) {
  char text[48];
  std::snprintf(text, sizeof text, "%.10g Hz", rate);
  return text;
}

void checkRates(double sourceHz, double targetHz) {
  for (double rate : {sourceHz, targetHz})
    if (!(rate > 0) || !std::isfinite(rate))
      throw Error("resample " + hz(sourceHz) + " -> " + hz(targetHz),
                  "sample rates must be positive and finite", "give --rate in Hz, e.g. --rate 100");
}

// Walks the continued-fraction convergents of value and returns the first within tolerance
// (relative) whose terms stay within maxTerm; up = 0 when none does.
ResampleRatio convergent(double value, double tolerance, std::int64_t maxTerm) {
  std::int64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;  // convergents n-2, n-1
  double rest = value;
  for (int step = 0; step < 64; ++step) {
    const double whole = std::floor(rest);
    if (whole > static_cast<double>(maxTerm)) break;
    const auto a = static_cast<std::int64_t>(whole);
    const std::int64_t p = a * p1 + p0, q = a * q1 + q0;
    if (p > maxTerm || q > maxTerm) break;
    if (p > 0 &&
        std::abs(static_cast<double>(p) / static_cast<double>(q) - value) <= tolerance * value)
      return {p, q};
    p0 = p1, q0 = q1, p1 = p, q1 = q;
    const double frac = rest - whole;
    if (frac < 1e-15) break;
    rest = 1.0 / frac;
  }
  return {0, 1};
}

ResampleRatio reduced(ResampleRatio ratio) {
  const std::int64_t g = std::gcd(ratio.up, ratio.down);
  return {ratio.up / g, ratio.down / g};
}

}  // namespace

std::int64_t ResampleRatio::halfLength() const {
  return 10 * std::max(up, down);
}

std::string ResampleRatio::filterText() const {
  return "kaiser beta 5, half_len " + std::to_string(halfLength());
}

ResampleRatio exactResampleRatio(double sourceHz, double targetHz) {
  checkRates(sourceHz, targetHz);
  const auto maxTerm = static_cast<std::int64_t>(limits::value(limits::kResampleFactor));
  const ResampleRatio ratio = convergent(targetHz / sourceHz, 1e-9, maxTerm);
  if (ratio.up == 0)
    throw Error("resample " + hz(sourceHz) + " -> " + hz(targetHz),
                "the rates' ratio is not a fraction up/down with terms up to " +
                    std::to_string(maxTerm) + " (the filter would need more than " +
                    std::to_string(20 * maxTerm + 1) + " taps)",
                "choose a target rate that is a simple fraction of the source rate (e.g. " +
                    hz(sourceHz / 2) + " or " + hz(sourceHz * 2) +
                    "), or raise the limit with IMUWB_LIMIT_RESAMPLE_FACTOR");
  return reduced(ratio);
}

ResampleRatio nearResampleRatio(double approxSourceHz, double targetHz) {
  checkRates(approxSourceHz, targetHz);
  const ResampleRatio ratio = convergent(targetHz / approxSourceHz, 5e-3, 1000);
  if (ratio.up == 0)
    throw Error("resample " + hz(approxSourceHz) + " -> " + hz(targetHz),
                "the rates are too far apart to resample in one step (factor over 1000)",
                "resample in two steps, or pick a target rate nearer the recording's");
  return reduced(ratio);
}

}  // namespace imuwb
