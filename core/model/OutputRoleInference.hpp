#pragma once
// What an output of a bare ONNX export (no manifest) probably means, from its name and shape.
// The pipeline's exports name their outputs latent_embeddings, motif_scores and
// behavior_logits, so the name decides; the shape must also be one vector per window ([N, D] or
// [D]), since a feature map is none of the contract's outputs. Anything else is Other: compared
// in parity, never judged against a range. A manifest always overrides this guess.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/OutputRole.hpp"

namespace imuwb {

struct InferredRole {
  OutputRole role = OutputRole::Other;
  std::string explanation;  // "inferred from name", or why the role stayed "other"
};

// name: the graph output name; shape: its dims with the batch first (-1 or 0 = unknown dim).
InferredRole inferOutputRole(std::string_view name, const std::vector<std::int64_t>& shape);

}  // namespace imuwb
