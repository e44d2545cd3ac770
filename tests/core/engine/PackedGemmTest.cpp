// The packed GEMM used by Conv, at every instruction-set level this CPU supports, against a plain
// double-precision triple loop, over awkward sizes: rows not a multiple of 8, column tails of
// every width, partial row ranges. AVX2 and AVX-512 run the same FMAs in the same order: their
// results must be bit-identical.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "common/Error.hpp"
#include "engine/PackedGemm.hpp"
#include "engine/isa/Isa.hpp"

namespace imuwb::engine {
namespace {

void checkLevel(Isa isa) {
  SCOPED_TRACE(isaName(isa));
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  for (std::int64_t rows : {1, 7, 8, 13, 64}) {
    for (std::int64_t depth : {1, 5, 27, 130}) {
      for (std::int64_t n : {1, 15, 16, 17, 31, 32, 33, 100}) {
        std::vector<float> a(rows * depth), b(depth * (n + 3)), c(rows * (n + 2), -7.f);
        for (auto& v : a) v = uniform(rng);
        for (auto& v : b) v = uniform(rng);
        const PackedGemm gemm(a.data(), rows, depth, isa);
        ASSERT_EQ(gemm.isa(), isa);
        // Strided B (ldb = n + 3) and C (ldc = n + 2); rows from 8 on only for the second half.
        const std::int64_t begin = rows > 8 ? 8 : 0;
        gemm.multiply(begin, rows - begin, b.data(), n + 3, n, c.data() + begin * (n + 2), n + 2);
        for (std::int64_t r = 0; r < rows; ++r)
          for (std::int64_t j = 0; j < n + 2; ++j) {
            const float got = c[r * (n + 2) + j];
            if (r < begin || j >= n) {
              EXPECT_EQ(got, -7.f) << "wrote outside the target at " << r << "," << j;
              continue;
            }
            double want = 0;
            for (std::int64_t k = 0; k < depth; ++k)
              want += double(a[r * depth + k]) * b[k * (n + 3) + j];
            EXPECT_NEAR(got, want, 1e-5 * std::max(1.0, std::fabs(want)) * std::sqrt(double(depth)))
                << rows << "x" << depth << "x" << n << " at " << r << "," << j;
          }
      }
    }
  }
}

TEST(PackedGemm, MatchesANaiveProductOnAwkwardSizesAtEveryLevel) {
  for (Isa isa : supportedIsas()) checkLevel(isa);
}

// Conv-sized products (depth 210, up to 500 columns) at every AVX level this CPU has: the levels
// must agree bit for bit, and with the double-precision product.
TEST(PackedGemm, AvxLevelsAgreeBitForBit) {
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  for (std::int64_t rows : {5, 8, 37, 70}) {
    for (std::int64_t n : {3, 24, 33, 400, 500}) {
      const std::int64_t depth = 210;
      std::vector<float> a(rows * depth), b(depth * n);
      for (auto& v : a) v = uniform(rng);
      for (auto& v : b) v = uniform(rng);
      std::vector<float> first;
      for (Isa isa : supportedIsas()) {
        if (isa == Isa::Generic) continue;
        std::vector<float> c(rows * n);
        PackedGemm(a.data(), rows, depth, isa).multiply(0, rows, b.data(), n, n, c.data(), n);
        for (std::int64_t i = 0; i < rows * n; i += 97) {
          double want = 0;
          for (std::int64_t k = 0; k < depth; ++k)
            want += double(a[i / n * depth + k]) * b[k * n + i % n];
          ASSERT_NEAR(c[i], want, 1e-4) << isaName(isa);
        }
        if (first.empty())
          first = c;
        else
          ASSERT_EQ(c, first) << isaName(isa) << " differs from avx2 at " << rows << "x" << n;
      }
    }
  }
}

}  // namespace
}  // namespace imuwb::engine
