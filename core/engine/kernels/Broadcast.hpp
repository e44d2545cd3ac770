#pragma once
// numpy broadcasting for the elementwise kernels: the output shape, per-dimension input strides
// (0 where an input is broadcast) and an odometer that walks both inputs with the output.
#include <algorithm>

#include "engine/Kernel.hpp"

namespace imuwb::engine {

struct BroadcastPlan {
  Shape out;
  std::vector<std::int64_t> strideA, strideB;  // per output dim, 0 when broadcast
  enum class Kind { Same, ScalarB, ScalarA, General } kind = Kind::General;
};

inline BroadcastPlan planBroadcast(const Shape& a, const Shape& b, const PrepareContext& ctx) {
  BroadcastPlan plan;
  const std::size_t rank = std::max(a.size(), b.size());
  requireRankAtMost(ctx, rank);
  plan.out.assign(rank, 1);
  Shape pa(rank, 1), pb(rank, 1);
  std::copy(a.begin(), a.end(), pa.begin() + (rank - a.size()));
  std::copy(b.begin(), b.end(), pb.begin() + (rank - b.size()));
  for (std::size_t d = 0; d < rank; ++d) {
    if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1)
      ctx.fail("shapes " + shapeToString(a) + " and " + shapeToString(b) +
               " cannot be broadcast together");
    plan.out[d] = pa[d] == 1 ? pb[d] : pa[d];
  }
  plan.strideA.assign(rank, 0);
  plan.strideB.assign(rank, 0);
  std::int64_t sa = 1, sb = 1;
  for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
    plan.strideA[d] = pa[d] == 1 ? 0 : sa;
    plan.strideB[d] = pb[d] == 1 ? 0 : sb;
    sa *= pa[d];
    sb *= pb[d];
  }
  if (pa == pb)
    plan.kind = BroadcastPlan::Kind::Same;
  else if (elementCount(b) == 1)
    plan.kind = BroadcastPlan::Kind::ScalarB;
  else if (elementCount(a) == 1)
    plan.kind = BroadcastPlan::Kind::ScalarA;
  return plan;
}

// Moves the output odometer one step over dims [0, last] and both input offsets with it; a dim
// that wraps rewinds its offsets. Binary ops step over all but the contiguous innermost dim.
inline void advanceOdometer(const BroadcastPlan& plan, int last, DimIndex& index,
                            std::int64_t& offA, std::int64_t& offB) {
  for (int d = last; d >= 0; --d) {
    offA += plan.strideA[d];
    offB += plan.strideB[d];
    if (++index[d] < plan.out[d]) break;
    offA -= plan.strideA[d] * plan.out[d];
    offB -= plan.strideB[d] * plan.out[d];
    index[d] = 0;
  }
}

}  // namespace imuwb::engine
