// Fuzzes the NPY reader (header dict, shape products, dtypes, truncation) and the conversion to
// engine tensors; whatever it accepts must survive a write + read round trip bit for bit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "engine/NpyTensor.hpp"
#include "fuzz/support/FuzzInput.hpp"
#include "io/Npy.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "array.npy");
  imuwb::fuzz::expectOnlyImuwbErrors("npy", [&] {
    const auto array = imuwb::io::readNpy(path);
    imuwb::engine::readNpyAsFloat32(path);
    const auto copy = path.parent_path() / "array.roundtrip.npy";
    imuwb::io::writeNpy(copy, array);
    const auto again = imuwb::io::readNpy(copy);
    if (again.dtype != array.dtype || again.shape != array.shape || again.bytes != array.bytes) {
      std::fprintf(stderr, "[npy] FINDING: the array changed in a write + read round trip\n");
      std::abort();
    }
  });
  return 0;
}
