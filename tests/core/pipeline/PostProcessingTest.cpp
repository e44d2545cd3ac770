// Host-side post-processing against hand-computed cases from contract.md's formulas.
#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/PostProcessing.hpp"

namespace imuwb {
namespace {

TEST(Softmax, MatchesHandComputedValuesWithAndWithoutTemperature) {
  const float logits[] = {1, 2, 3};
  float p[3];
  softmaxWithTemperature(logits, 1, 3, 1.0, p);
  // e^1, e^2, e^3 over their sum 30.1928...
  EXPECT_NEAR(p[0], 0.0900306, 1e-6);
  EXPECT_NEAR(p[1], 0.2447285, 1e-6);
  EXPECT_NEAR(p[2], 0.6652410, 1e-6);
  // T = 2: softmax([0.5, 1, 1.5]) = [1, e^0.5, e] / (1 + 1.648721 + 2.718282)
  softmaxWithTemperature(logits, 1, 3, 2.0, p);
  EXPECT_NEAR(p[0], 1.0 / 5.367003, 1e-6);
  EXPECT_NEAR(p[1], 1.648721 / 5.367003, 1e-6);
  EXPECT_NEAR(p[2], 2.718282 / 5.367003, 1e-6);
  // Large logits do not overflow.
  const float big[] = {1000, 1000};
  softmaxWithTemperature(big, 1, 2, 1.0, p);
  EXPECT_FLOAT_EQ(p[0], 0.5f);
}

TEST(Fsq, BoundFollowsTheContractFormula) {
  // half_l = (L-1)(1+1e-3)/2; offset 0.5 for even L. bound(0) = 0 for odd and even L.
  EXPECT_DOUBLE_EQ(fsqHalfWidth(8), 3.5035);
  EXPECT_DOUBLE_EQ(fsqOffset(8), 0.5);
  EXPECT_DOUBLE_EQ(fsqOffset(5), 0.0);
  EXPECT_NEAR(fsqBound(0.0, 5), 0.0, 1e-12);
  EXPECT_NEAR(fsqBound(0.0, 8), 0.0, 1e-12);  // tanh(atanh(a)) * half - 0.5 = 0.5 - 0.5
  // Saturation: +inf -> half - offset, -inf -> -half - offset.
  EXPECT_NEAR(fsqBound(50.0, 8), 3.0035, 1e-9);
  EXPECT_NEAR(fsqBound(-50.0, 8), -4.0035, 1e-9);
  EXPECT_NEAR(fsqBound(50.0, 5), 2.002, 1e-9);
  // Values from an independent numpy evaluation of the same formula.
  EXPECT_NEAR(fsqBound(1.0, 8), 2.3576462031544567, 1e-12);
  EXPECT_NEAR(fsqBound(-0.7, 6), -1.651474085164557, 1e-12);
  EXPECT_NEAR(fsqBound(0.3, 5), 0.583207850128085, 1e-12);
  EXPECT_NEAR(fsqBound(2.0, 4), 0.9742283935858589, 1e-12);
}

TEST(Fsq, BasisIsTheCumulativeProductOfLevels) {
  FsqQuantizer fsq({8, 6, 5, 5, 4});
  EXPECT_EQ(fsq.basis(), (std::vector<std::int64_t>{1, 8, 48, 240, 1200}));
  EXPECT_EQ(fsq.codebookSize(), 4800);
}

TEST(Fsq, RoundsNormalizesAndIndexesBoundedProjections) {
  FsqQuantizer fsq({8, 6, 5, 5, 4});
  // Device output already bounded (the device graph stops before Round).
  const float projection[] = {3.2f,  -2.6f, 0.4f,  -1.7f, 1.49f,  // row 0
                              -4.0f, -3.0f, -2.0f, -2.0f, -2.0f,  // row 1: lowest code
                              3.0f,  2.0f,  2.0f,  2.0f,  1.0f};  // row 2: highest code
  float codes[15];
  std::int64_t index[3];
  fsq.quantize(projection, 3, true, codes, index);
  // Row 0 by hand: round -> [3, -3, 0, -2, 1]; / (L//2 = [4,3,2,2,2]) -> [0.75, -1, 0, -1, 0.5];
  // index = (3+4)*1 + (-3+3)*8 + (0+2)*48 + (-2+2)*240 + (1+2)*1200 = 7 + 0 + 96 + 0 + 3600.
  const float expected0[] = {0.75f, -1.0f, 0.0f, -1.0f, 0.5f};
  for (int d = 0; d < 5; ++d) EXPECT_FLOAT_EQ(codes[d], expected0[d]) << d;
  EXPECT_EQ(index[0], 3703);
  EXPECT_EQ(index[1], 0);
  EXPECT_EQ(index[2], 4799);  // (7) + 5*8 + 4*48 + 4*240 + 3*1200
}

TEST(Fsq, RoundsHalfToEvenLikeTorchRound) {
  FsqQuantizer fsq({8});
  const float projection[] = {2.5f, 1.5f, -0.5f};
  float codes[3];
  std::int64_t index[3];
  fsq.quantize(projection, 3, true, codes, index);
  EXPECT_FLOAT_EQ(codes[0], 0.5f);  // round(2.5) = 2 -> 2/4
  EXPECT_FLOAT_EQ(codes[1], 0.5f);  // round(1.5) = 2
  EXPECT_FLOAT_EQ(codes[2], 0.0f);  // round(-0.5) = -0
  EXPECT_EQ(index[0], 6);
}

TEST(Fsq, BoundsRawProjectionsFirstWhenTheDeviceDidNot) {
  FsqQuantizer fsq({8, 6, 5, 5, 4});
  const float z[] = {1.0f, -0.7f, 0.3f, -3.0f, 2.0f};
  float codes[5];
  std::int64_t index[1];
  fsq.quantize(z, 1, false, codes, index);
  // Bounded (numpy): [2.358, -1.651, 0.583, -1.992, 0.974] -> round [2, -2, 1, -2, 1]
  const float expected[] = {0.5f, -2.0f / 3.0f, 0.5f, -1.0f, 0.5f};
  for (int d = 0; d < 5; ++d) EXPECT_FLOAT_EQ(codes[d], expected[d]) << d;
  // (2+4)*1 + (-2+3)*8 + (1+2)*48 + (-2+2)*240 + (1+2)*1200
  EXPECT_EQ(index[0], 6 + 8 + 144 + 0 + 3600);
}

TEST(OutputRangeCheck, FlagsLatentAndMotifValuesOutsideTheContract) {
  Manifest manifest;
  manifest.outputs = {{"latent", OutputRole::Latent, 2, {}},
                      {"motif", OutputRole::MotifScores, 2, {}},
                      {"logits", OutputRole::Logits, 2, {}}};
  OutputRangeCheck check(manifest);
  const float latent[] = {0.5f, -3.9f, 4.5f, 1.0f};  // one of four outside [-4, 4]
  const float motif[] = {0.2f, 1.2f, 0.0f, 1.0f};    // 1.2 outside [0, 1]
  const float logits[] = {50.0f, -80.0f, 1.0f, NAN};
  check.add("latent", latent, 2);
  check.add("motif", motif, 2);
  check.add("logits", logits, 2);
  const auto findings = check.findings();
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].code, "output_out_of_range");
  EXPECT_EQ(findings[0].severity, Severity::Error);  // 25% > 1%
  EXPECT_EQ(check.stats()[0].outOfRange, 1u);
  EXPECT_EQ(findings[1].code, "output_out_of_range");
  EXPECT_EQ(findings[1].severity, Severity::Error);
  EXPECT_EQ(findings[2].code, "output_not_finite");
}

}  // namespace
}  // namespace imuwb
