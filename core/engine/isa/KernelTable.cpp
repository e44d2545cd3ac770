#include "engine/isa/KernelTable.hpp"

#include "common/Error.hpp"

namespace imuwb::engine {
namespace {

constexpr KernelTable kGeneric{Isa::Generic, &isa::generic::packedGemm};
constexpr KernelTable kAvx2{Isa::Avx2, &isa::avx2::packedGemm};
constexpr KernelTable kAvx512{Isa::Avx512, &isa::avx512::packedGemm};

}  // namespace

const KernelTable& kernelTableFor(Isa level) {
  if (level > bestSupportedIsa())
    throw Error("engine kernels", std::string("this CPU does not support ") + isaName(level),
                std::string("use ") + isaName(bestSupportedIsa()) + " or lower");
  switch (level) {
    case Isa::Avx512:
      return kAvx512;
    case Isa::Avx2:
      return kAvx2;
    case Isa::Generic:
      break;
  }
  return kGeneric;
}

const KernelTable& kernelTable() {
  static const KernelTable& active = kernelTableFor(activeIsa());
  return active;
}

}  // namespace imuwb::engine
