#pragma once
// Which instruction-set level the engine's hot kernels use. The default build is generic x86-64
// (it runs on any x86-64 CPU); the kernels that decide throughput also exist compiled for AVX2+FMA
// and AVX-512, and one of them is chosen at run time, once per process (docs/engine.md).
#include <string>
#include <vector>

namespace imuwb::engine {

enum class Isa { Generic, Avx2, Avx512 };

// "generic", "avx2", "avx512": the spelling of IMUWB_ISA and of `imuwb version`.
const char* isaName(Isa isa);

// The best level this CPU (and OS) supports, from __builtin_cpu_supports.
Isa bestSupportedIsa();
// Every level this CPU supports, generic first.
std::vector<Isa> supportedIsas();

// The level to use given the IMUWB_ISA value (nullptr or "" = best). Pure, for tests: throws
// imuwb::Error for an unknown name or a level above `best`.
Isa resolveIsa(const char* request, Isa best);

// The level the engine uses in this process: resolveIsa(getenv("IMUWB_ISA"), bestSupportedIsa()),
// decided on first use and then fixed. Throws imuwb::Error (every call) when IMUWB_ISA is bad.
Isa activeIsa();

}  // namespace imuwb::engine
