// Fuzzes the sidecar request body import ({"x": [[9 numbers] x N]}, contract.md POST /infer).
#include <cstdint>

#include "fuzz/support/FuzzInput.hpp"
#include "session/JsonWindowImport.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "window.json");
  imuwb::fuzz::expectOnlyImuwbErrors("json_window", [&] { imuwb::importJsonWindow(path); });
  return 0;
}
