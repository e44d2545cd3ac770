// Output roles of a bare ONNX export, guessed from names and shapes.
#include <gtest/gtest.h>

#include "model/OutputRoleInference.hpp"

namespace imuwb {
namespace {

TEST(OutputRoleInference, ThePipelinesOutputNamesMapToTheirRoles) {
  const std::vector<std::int64_t> vector = {1, 12};
  EXPECT_EQ(inferOutputRole("motif_scores", vector).role, OutputRole::MotifScores);
  EXPECT_EQ(inferOutputRole("behavior_logits", {1, 10}).role, OutputRole::Logits);
  EXPECT_EQ(inferOutputRole("Logits", {-1, 10}).role, OutputRole::Logits);  // case-insensitive
  EXPECT_EQ(inferOutputRole("latent_embeddings", {1, 64}).role, OutputRole::Latent);
  EXPECT_EQ(inferOutputRole("latent", {1, 64}).role, OutputRole::Latent);
  EXPECT_EQ(inferOutputRole("embedding", {64}).role, OutputRole::Latent);
  EXPECT_EQ(inferOutputRole("fsq_projection", {1, 5}).role, OutputRole::FsqProjection);
  EXPECT_EQ(inferOutputRole("motif_scores", vector).explanation, "inferred from name");
}

TEST(OutputRoleInference, LogitsWinOverMotifsAndUnknownNamesAreOther) {
  EXPECT_EQ(inferOutputRole("motif_logits", {1, 12}).role, OutputRole::Logits);
  const auto other = inferOutputRole("output_0", {1, 64});
  EXPECT_EQ(other.role, OutputRole::Other);  // a contract size alone is no evidence
  EXPECT_NE(other.explanation.find("unknown"), std::string::npos);
  EXPECT_EQ(inferOutputRole("y", {1, 10}).role, OutputRole::Other);
}

TEST(OutputRoleInference, AFeatureMapIsNotAVectorRoleWhateverItsName) {
  const auto map = inferOutputRole("latent_map", {1, 16, 2, 100});
  EXPECT_EQ(map.role, OutputRole::Other);
  EXPECT_NE(map.explanation.find("not one vector per window"), std::string::npos);
  // Unit middle dims still make one vector per window.
  EXPECT_EQ(inferOutputRole("latent", {1, 1, 1, 64}).role, OutputRole::Latent);
}

}  // namespace
}  // namespace imuwb
