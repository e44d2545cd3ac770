// Fuzzes the session HDF5 reader (SessionReader): header, shapes, labels, metadata JSON, and
// block reads at both ends of every device, through HDF5's chunk decoding and our own.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "fuzz/support/FuzzInput.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "session.h5");
  imuwb::fuzz::expectOnlyImuwbErrors("session_h5", [&] {
    const auto reader = imuwb::SessionReader::open(path);
    const auto& header = reader.header();
    // Bounded reads: a few blocks at the start and the end, never the whole claimed length.
    constexpr std::size_t kBlockRows = 2048;
    const std::size_t rows = header.sampleCount;
    const std::size_t head = std::min(rows, kBlockRows);
    const std::size_t tailStart = rows - std::min(rows, std::size_t{256});
    for (std::size_t device = 0; device < header.deviceNames.size(); ++device) {
      reader.readRows(device, 0, head);
      reader.readRows(device, tailStart, rows - tailStart);
    }
    reader.readTime(0, head);
    reader.readTime(tailStart, rows - tailStart);
    // Reading past the end must be refused, never served from stale memory.
    bool refused = false;
    try {
      if (!header.deviceNames.empty()) reader.readRows(0, rows, 1);
    } catch (const imuwb::Error&) {
      refused = true;
    }
    if (!header.deviceNames.empty() && !refused) __builtin_trap();
    if (rows <= 4 * kBlockRows) imuwb::validateSessionFile(reader);
  });
  return 0;
}
