// Gemm (transA, transB, alpha, beta, broadcast C) and MatMul (numpy semantics: 1-D promotion,
// broadcast batch dimensions), both on Eigen.
// EigenGemm.hpp comes first: it sets Eigen's stack limit before Eigen is included.
#include "engine/kernels/EigenGemm.hpp"

#include <algorithm>

#include "engine/Kernel.hpp"
#include "engine/ThreadPool.hpp"

namespace imuwb::engine {
namespace {

using Stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;

std::unique_ptr<Kernel> makeGemm(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  ctx.requireFloatInput(1);
  const auto& a = ctx.input(0).shape;
  const auto& b = ctx.input(1).shape;
  if (a.size() != 2 || b.size() != 2)
    ctx.fail("A and B must be 2-D, got " + shapeToString(a) + " and " + shapeToString(b));
  const bool transA = ctx.node.attributes.getInt("transA", 0) != 0;
  const bool transB = ctx.node.attributes.getInt("transB", 0) != 0;
  const float alpha = ctx.node.attributes.getFloat("alpha", 1.f);
  const float beta = ctx.node.attributes.getFloat("beta", 1.f);
  const std::int64_t m = transA ? a[1] : a[0], k = transA ? a[0] : a[1];
  const std::int64_t kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
  if (k != kb)
    ctx.fail("inner dimensions differ: A " + shapeToString(a) + (transA ? "^T" : "") + ", B " +
             shapeToString(b) + (transB ? "^T" : ""));
  if (transA && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "transposes the window dimension (transA=1)";
  if (ctx.inputBatchLeading.size() > 1 && ctx.inputBatchLeading[1])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "takes B from the windows";
  // C broadcast to [M, N]: strides 0 along broadcast axes.
  std::int64_t cRowStride = 0, cColStride = 0;
  const bool hasC = ctx.hasInput(2) && beta != 0.f;
  if (hasC) {
    ctx.requireFloatInput(2);
    Shape c = ctx.input(2).shape;
    while (c.size() < 2) c.insert(c.begin(), 1);
    if (c.size() != 2 || (c[0] != 1 && c[0] != m) || (c[1] != 1 && c[1] != n))
      ctx.fail("C " + shapeToString(ctx.input(2).shape) + " cannot broadcast to [" +
               std::to_string(m) + "," + std::to_string(n) + "]");
    cColStride = c[1] == 1 ? 0 : 1;
    cRowStride = c[0] == 1 ? 0 : c[1];
  }
  ctx.setOutput(0, DType::Float32, {m, n});
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    Eigen::Map<RowMatrix> y(out[0].as<float>(), m, n);
    Eigen::Map<const RowMatrix> A(in[0].as<const float>(), a[0], a[1]);
    Eigen::Map<const RowMatrix> B(in[1].as<const float>(), b[0], b[1]);
    if (transA && transB)
      y.noalias() = A.transpose() * B.transpose();
    else if (transA)
      y.noalias() = A.transpose() * B;
    else if (transB)
      y.noalias() = A * B.transpose();
    else
      y.noalias() = A * B;
    if (alpha != 1.f) y *= alpha;
    if (hasC) {
      const float* c = in[2].as<const float>();
      for (std::int64_t r = 0; r < m; ++r) {
        float* row = out[0].as<float>() + r * n;
        const float* cRow = c + r * cRowStride;
        for (std::int64_t j = 0; j < n; ++j) row[j] += beta * cRow[j * cColStride];
      }
    }
  });
}

std::unique_ptr<Kernel> makeMatMul(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  ctx.requireFloatInput(1);
  Shape a = ctx.input(0).shape, b = ctx.input(1).shape;
  if (a.empty() || b.empty()) ctx.fail("MatMul inputs must have rank >= 1");
  const bool promoteA = a.size() == 1, promoteB = b.size() == 1;
  if (promoteA) a.insert(a.begin(), 1);
  if (promoteB) b.push_back(1);
  const std::int64_t m = a[a.size() - 2], k = a.back(), n = b.back();
  if (b[b.size() - 2] != k)
    ctx.fail("inner dimensions differ: " + shapeToString(ctx.input(0).shape) + " x " +
             shapeToString(ctx.input(1).shape));
  const Shape batchA(a.begin(), a.end() - 2), batchB(b.begin(), b.end() - 2);
  const std::size_t batchRank = std::max(batchA.size(), batchB.size());
  Shape batch(batchRank, 1), pa(batchRank, 1), pb(batchRank, 1);
  std::copy(batchA.begin(), batchA.end(), pa.begin() + (batchRank - batchA.size()));
  std::copy(batchB.begin(), batchB.end(), pb.begin() + (batchRank - batchB.size()));
  for (std::size_t d = 0; d < batchRank; ++d) {
    if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1)
      ctx.fail("batch dimensions " + shapeToString(batchA) + " and " + shapeToString(batchB) +
               " cannot broadcast");
    batch[d] = std::max(pa[d], pb[d]);
  }
  if (ctx.inputBatchLeading.size() > 1 && ctx.inputBatchLeading[1] && b.size() <= 2)
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "multiplies by the windows from the right";
  Shape outShape = batch;
  if (!promoteA) outShape.push_back(m);
  if (!promoteB) outShape.push_back(n);
  ctx.setOutput(0, DType::Float32, outShape);
  const std::int64_t batchCount = elementCount(batch);
  // Offsets of each output batch entry into A and B (broadcast).
  std::vector<std::int64_t> offsetA(batchCount), offsetB(batchCount);
  for (std::int64_t i = 0; i < batchCount; ++i) {
    std::int64_t rest = i, ia = 0, ib = 0, sa = 1, sb = 1;
    for (int d = static_cast<int>(batchRank) - 1; d >= 0; --d) {
      const std::int64_t index = rest % batch[d];
      rest /= batch[d];
      ia += (pa[d] == 1 ? 0 : index) * sa;
      ib += (pb[d] == 1 ? 0 : index) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    offsetA[i] = ia * m * k;
    offsetB[i] = ib * k * n;
  }
  // B shared by every batch entry: one GEMM over all rows of A.
  const bool flatten = elementCount(pb) == 1 && elementCount(pa) == batchCount;
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* A = in[0].as<const float>();
    const float* B = in[1].as<const float>();
    float* Y = out[0].as<float>();
    if (flatten) {
      Eigen::Map<const RowMatrix> a2(A, batchCount * m, k);
      Eigen::Map<const RowMatrix> b2(B, k, n);
      Eigen::Map<RowMatrix>(Y, batchCount * m, n).noalias() = a2 * b2;
      return;
    }
    for (std::int64_t i = 0; i < batchCount; ++i) {
      Eigen::Map<const RowMatrix> a2(A + offsetA[i], m, k);
      Eigen::Map<const RowMatrix> b2(B + offsetB[i], k, n);
      Eigen::Map<RowMatrix>(Y + i * m * n, m, n).noalias() = a2 * b2;
    }
  });
}

}  // namespace

void registerGemmKernels(KernelRegistry& registry) {
  registry.add("Gemm", makeGemm);
  registry.add("MatMul", makeMatMul);
}

}  // namespace imuwb::engine
