// The packed AVX-512 GEMM used by Conv against a plain double-precision triple loop, over
// awkward sizes: rows not a multiple of 8, column tails of every width, partial row ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/PackedGemm.hpp"

namespace imuwb::engine {
namespace {

TEST(PackedGemm, MatchesANaiveProductOnAwkwardSizes) {
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  for (std::int64_t rows : {1, 7, 8, 13, 64}) {
    for (std::int64_t depth : {1, 5, 27, 130}) {
      for (std::int64_t n : {1, 15, 16, 17, 31, 32, 33, 100}) {
        std::vector<float> a(rows * depth), b(depth * (n + 3)), c(rows * (n + 2), -7.f);
        for (auto& v : a) v = uniform(rng);
        for (auto& v : b) v = uniform(rng);
        const PackedGemm gemm(a.data(), rows, depth);
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

}  // namespace
}  // namespace imuwb::engine
