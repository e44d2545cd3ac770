// Fuzzes the CSV importer: header mapping, timestamps, rate inference, unit detection.
#include <cstdint>

#include "fuzz/support/FuzzInput.hpp"
#include "session/CsvImport.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "recording.csv");
  imuwb::fuzz::expectOnlyImuwbErrors("csv_import", [&] { imuwb::importCsv(path); });
  return 0;
}
