#pragma once
// The rational factor up/down that takes one sample rate to another, as polyphase resampling
// needs it. The filter has 20 * max(up, down) + 1 taps, so factors are bounded
// (limits::kResampleFactor) and a rate pair without a small exact fraction is refused.
#include <cstdint>
#include <string>

#include "common/InputLimits.hpp"

namespace imuwb {

namespace limits {
// Kept here rather than in InputLimits.hpp (same mechanism, listed in docs/reliability.md).
inline constexpr Limit kResampleFactor{"resample_factor", 1000};  // max(up, down)
}  // namespace limits

struct ResampleRatio {
  std::int64_t up = 1;              // insert up - 1 zeros between input samples...
  std::int64_t down = 1;            // ...filter, then keep every down-th sample
  std::int64_t halfLength() const;  // scipy's half_len: 10 * max(up, down)
  std::string filterText() const;   // "kaiser beta 5, half_len N"
};

// The exact fraction targetHz / sourceHz in lowest terms (gcd-reduced). Throws imuwb::Error
// naming both rates when a rate is not positive and finite, or when no fraction with terms up to
// the resample_factor limit matches to 1e-9 relative (e.g. 100 Hz -> 33.3333 Hz).
ResampleRatio exactResampleRatio(double sourceHz, double targetHz);

// A fraction near targetHz / approxSourceHz with small terms (within 0.5%), for irregular
// recordings: they are first interpolated onto a grid at targetHz * down / up, which is then
// within 0.5% of their mean rate.
ResampleRatio nearResampleRatio(double approxSourceHz, double targetHz);

}  // namespace imuwb
