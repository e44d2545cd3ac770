#pragma once
// One function-pointer table per instruction-set level; the engine's kernels call through the
// table of the active level (chosen once per process, see Isa.hpp).
#include "engine/isa/Isa.hpp"
#include "engine/isa/IsaKernels.hpp"

namespace imuwb::engine {

struct KernelTable {
  Isa isa;
  isa::PackedGemmFn packedGemm;
};

// The table of activeIsa(). Throws imuwb::Error when IMUWB_ISA is bad.
const KernelTable& kernelTable();
// The table of one level (tests compare levels). Throws imuwb::Error when the CPU lacks it.
const KernelTable& kernelTableFor(Isa isa);

}  // namespace imuwb::engine
