// NaN and infinities propagate as numpy (ONNX's reference implementation) does: through Relu
// (alone and fused into Conv), variadic Max/Min, Clip, MaxPool, GlobalMaxPool and the reductions.
// The engine's outputs are compared with numpy's, NaN for NaN, and with ONNX Runtime's where ORT
// is consistent. ORT 1.30's MaxPool/GlobalMaxPool/ReduceMax/ReduceMin are not: a NaN resets their
// running maximum, so the answer depends on where the NaN sits (NaN only when it comes last);
// the engine does not copy that.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "EngineTestSupport.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

const char* kNanModel = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,2,4,4] X, float[1,2,4,4] Y, float[1,2,4,4] Z)
  => (float r, float mx, float mn, float c, float mp, float gmp, float rmax, float rmin,
      float rsum, float cr) {
  r = Relu (X)
  mx = Max (X, Y, Z)
  mn = Min (X, Y, Z)
  c = Clip (X, lo, hi)
  mp = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (X)
  gmp = GlobalMaxPool (X)
  rmax = ReduceMax <axes = [2, 3]> (X)
  rmin = ReduceMin <axes = [2, 3], keepdims = 0> (X)
  rsum = ReduceSum (X, axes)
  conv = Conv (X, W)
  cr = Relu (conv)
}
)";

// The same outputs from numpy, in model order.
const char* kNumpy = R"(
import numpy as np, sys
d = sys.argv[1]
X, Y, Z = (np.load(f"{d}/{n}.npy") for n in "XYZ")
mp = X.reshape(1, 2, 2, 2, 2, 2).max(axis=(3, 5))
outs = [np.maximum(X, 0), np.maximum(np.maximum(X, Y), Z), np.minimum(np.minimum(X, Y), Z),
        np.clip(X, -0.5, 0.5), mp, X.max(axis=(2, 3), keepdims=True),
        X.max(axis=(2, 3), keepdims=True), X.min(axis=(2, 3)), X.sum(axis=(1, 3), keepdims=True)]
for k, o in enumerate(outs):
    np.save(f"{d}/np_{k}.npy", o.astype(np.float32))
)";

// Equal shapes, NaN exactly where the reference has NaN, equal infinities, else within tol.
void expectSameWithNan(const Tensor& ours, const Tensor& reference, const std::string& what) {
  ASSERT_EQ(ours.shape(), reference.shape()) << what;
  for (std::int64_t i = 0; i < ours.elementCount(); ++i) {
    const float a = ours.data<float>()[i], e = reference.data<float>()[i];
    if (std::isnan(e) || std::isnan(a))
      EXPECT_TRUE(std::isnan(a) && std::isnan(e)) << what << " [" << i << "]: " << a << " vs " << e;
    else if (std::isinf(e))
      EXPECT_EQ(a, e) << what << " [" << i << "]";
    else
      EXPECT_NEAR(a, e, 1e-5 * std::max(1.f, std::fabs(e))) << what << " [" << i << "]";
  }
}

TEST(NanPropagation, MatchesNumpyAndOnnxRuntime) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(31);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Tensor x = randomTensor({1, 2, 4, 4}, rng), y = randomTensor({1, 2, 4, 4}, rng),
         z = randomTensor({1, 2, 4, 4}, rng);
  // NaN in X (first, last, a negative slot), in Y and Z only (so Max/Min must pick it up from
  // any argument), and infinities.
  x.data<float>()[0] = nan;
  x.data<float>()[5] = -std::fabs(x.data<float>()[5]);
  x.data<float>()[6] = nan;
  x.data<float>()[31] = nan;
  x.data<float>()[9] = inf;
  x.data<float>()[20] = -inf;
  y.data<float>()[12] = nan;
  z.data<float>()[13] = nan;
  const auto path = writeModel(dir / "nan.onnx", kNanModel,
                               {{"lo", Tensor::scalarFloat(-0.5f)},
                                {"hi", Tensor::scalarFloat(0.5f)},
                                {"axes", Tensor::fromInt64s({2}, std::vector<std::int64_t>{1, 3})},
                                {"W", randomTensor({3, 2, 3, 3}, rng)}});
  const std::vector<NamedTensor> inputs{{"X", x}, {"Y", y}, {"Z", z}};
  const RunResult ours = InferenceSession(loadOnnxModel(path)).run(inputs);
  ASSERT_EQ(ours.outputs.size(), 10u);

  for (const auto& input : inputs) writeNpyTensor(dir / (input.name + ".npy"), input.tensor);
  const auto peer = imuwb::test::runCommand(imuwb::test::shellQuote(imuwb::test::pythonPath()) +
                                            " -c " + imuwb::test::shellQuote(kNumpy) + " " +
                                            imuwb::test::shellQuote(dir.path().string()));
  ASSERT_EQ(peer.exitCode, 0) << peer.errors;
  for (int k = 0; k < 9; ++k)
    expectSameWithNan(ours.outputs[k].tensor,
                      readNpyTensor(dir / ("np_" + std::to_string(k) + ".npy")),
                      "numpy " + ours.outputs[k].name);

  const auto ort = runOrt({{"nan", path, inputs}}, dir / "work");
  ASSERT_EQ(ort[0].size(), 10u);
  for (int k : {0, 1, 2, 3, 8, 9})  // r, mx, mn, c, rsum, cr (not the max-pool/max/min reductions)
    expectSameWithNan(ours.outputs[k].tensor, ort[0][k], "ORT " + ours.outputs[k].name);
  // The fused Conv+Relu keeps the NaN the convolution spreads.
  EXPECT_TRUE(std::isnan(ours.outputs[9].tensor.data<float>()[0]));
}

}  // namespace
}  // namespace imuwb::engine::test
