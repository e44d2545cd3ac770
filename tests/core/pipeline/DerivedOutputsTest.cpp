// The host-side outputs `imuwb run` writes and the GUI shows come from one place: every logits
// output gets its softmax with the manifest temperature (checked here against the formula by
// hand), other outputs get nothing derived, and a wrong-sized output is refused by name.
#include <gtest/gtest.h>

#include <cmath>

#include "common/Error.hpp"
#include "pipeline/DerivedOutputs.hpp"

namespace imuwb {
namespace {

ModelBundle twoLogitHeads() {
  ModelBundle bundle;
  bundle.manifest = parseManifest(nlohmann::json::parse(R"({
      "format": "imuwb-manifest", "format_version": 1, "name": "heads",
      "input": {"name": "x", "layout": "NTC", "shape": [1,100,9]},
      "temperature": 2.0,
      "outputs": [{"name": "emb", "role": "latent", "size": 2},
                  {"name": "a", "role": "logits", "size": 3},
                  {"name": "b", "role": "logits", "size": 2}]})"),
                                  "m.json");
  return bundle;
}

TEST(DerivedOutputs, EveryLogitsOutputGetsTemperatureSoftmax) {
  const auto bundle = twoLogitHeads();
  DerivedOutputs derived(bundle);
  EXPECT_FALSE(derived.hasFsq());
  OutputSet set{{{"emb", {2, 2}, {1, 2, 3, 4}},
                 {"a", {2, 3}, {1.f, 2.f, 3.f, -1.f, 0.f, 4.f}},
                 {"b", {2, 2}, {0.f, 0.f, 10.f, -10.f}}}};
  DerivedOutputs::Batch batch;
  derived.compute(set, 2, batch);
  ASSERT_EQ(batch.probabilityOutputs, (std::vector<std::string>{"a", "b"}));
  auto expected = [](std::vector<float> logits, std::size_t i) {
    double sum = 0;
    for (float l : logits) sum += std::exp(l / 2.0);
    return std::exp(logits[i] / 2.0) / sum;
  };
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(batch.probabilities[0][i], expected({1, 2, 3}, i), 1e-7);
    EXPECT_NEAR(batch.probabilities[0][3 + i], expected({-1, 0, 4}, i), 1e-7);
  }
  EXPECT_FLOAT_EQ(batch.probabilities[1][0], 0.5f);
  EXPECT_NEAR(batch.probabilities[1][2], expected({10, -10}, 0), 1e-7);
  EXPECT_TRUE(batch.fsqCodes.empty());
}

TEST(DerivedOutputs, WrongSizedLogitsAreRefusedByName) {
  const auto bundle = twoLogitHeads();
  DerivedOutputs derived(bundle);
  OutputSet set{{{"a", {1, 2}, {1.f, 2.f}}}};
  DerivedOutputs::Batch batch;
  try {
    derived.compute(set, 1, batch);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("'a'"), std::string::npos);
  }
}

}  // namespace
}  // namespace imuwb
