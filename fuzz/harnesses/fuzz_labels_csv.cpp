// Fuzzes the label CSV reader, and checks that whatever it accepts survives a write + read
// round trip (the writer must never produce a file its own reader rejects or misreads). Times
// are compared to the writer's 10 significant digits.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/support/FuzzInput.hpp"
#include "session/LabelCsv.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "labels.csv");
  imuwb::fuzz::expectOnlyImuwbErrors("labels_csv", [&] {
    const auto track = imuwb::readLabelCsv(path);
    const auto copy = path.parent_path() / "labels.roundtrip.csv";
    imuwb::writeLabelCsv(track.labels, copy);
    const auto again = imuwb::readLabelCsv(copy);
    const auto close = [](double a, double b) {
      return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
    };
    bool same = again.labels.size() == track.labels.size() && again.classes == track.classes;
    for (std::size_t i = 0; same && i < track.labels.size(); ++i)
      same = again.labels[i].label == track.labels[i].label &&
             close(again.labels[i].start_s, track.labels[i].start_s) &&
             close(again.labels[i].end_s, track.labels[i].end_s);
    if (!same) {
      std::fprintf(stderr, "[labels_csv] FINDING: labels changed in a write + read round trip\n");
      std::abort();
    }
  });
  return 0;
}
