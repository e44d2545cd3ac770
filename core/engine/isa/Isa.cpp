#include "engine/isa/Isa.hpp"

#include <cstdlib>
#include <string_view>

#include "common/Error.hpp"

namespace imuwb::engine {

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    case Isa::Generic:
      break;
  }
  return "generic";
}

Isa bestSupportedIsa() {
  // __builtin_cpu_supports also checks that the OS saves the wider registers (XCR0).
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
  return Isa::Generic;
}

std::vector<Isa> supportedIsas() {
  std::vector<Isa> levels{Isa::Generic};
  const Isa best = bestSupportedIsa();
  if (best >= Isa::Avx2) levels.push_back(Isa::Avx2);
  if (best >= Isa::Avx512) levels.push_back(Isa::Avx512);
  return levels;
}

Isa resolveIsa(const char* request, Isa best) {
  if (request == nullptr || *request == '\0') return best;
  const std::string_view name(request);
  for (Isa level : {Isa::Generic, Isa::Avx2, Isa::Avx512}) {
    if (name != isaName(level)) continue;
    if (level > best)
      throw Error("IMUWB_ISA=" + std::string(name),
                  std::string("this CPU does not support ") + isaName(level) +
                      " (the best it supports is " + isaName(best) + ")",
                  std::string("unset IMUWB_ISA, or set it to ") + isaName(best) + " or lower");
    return level;
  }
  throw Error("IMUWB_ISA=" + std::string(name), "unknown instruction-set level",
              "use generic, avx2 or avx512 (or unset it to pick the best the CPU supports)");
}

Isa activeIsa() {
  // A function-local static: the environment and the CPU are read once, thread-safely. If
  // IMUWB_ISA is bad the initialiser throws and the next call tries (and throws) again.
  static const Isa active = resolveIsa(std::getenv("IMUWB_ISA"), bestSupportedIsa());
  return active;
}

}  // namespace imuwb::engine
