#include "model/OutputRoleInference.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace imuwb {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool containsAny(const std::string& text, std::initializer_list<std::string_view> words) {
  for (auto word : words)
    if (text.find(word) != std::string::npos) return true;
  return false;
}

// One vector per window: [D], [N, D], or [N, 1, ..., D] with unit middle dims.
bool isVectorPerWindow(const std::vector<std::int64_t>& shape) {
  if (shape.size() <= 2) return true;
  for (std::size_t axis = 1; axis + 1 < shape.size(); ++axis)
    if (shape[axis] != 1) return false;
  return true;
}

OutputRole roleFromName(const std::string& name) {
  // "logit" first: behavior_logits and motif_logits are both pre-activation scores.
  if (containsAny(name, {"logit"})) return OutputRole::Logits;
  if (containsAny(name, {"motif"})) return OutputRole::MotifScores;
  if (containsAny(name, {"fsq"})) return OutputRole::FsqProjection;
  if (containsAny(name, {"latent", "embedding", "embed"})) return OutputRole::Latent;
  return OutputRole::Other;
}

}  // namespace

InferredRole inferOutputRole(std::string_view name, const std::vector<std::int64_t>& shape) {
  const OutputRole role = roleFromName(lower(name));
  if (role == OutputRole::Other) return {OutputRole::Other, "role unknown from its name"};
  if (!isVectorPerWindow(shape))
    return {OutputRole::Other, "role unknown: its name says " + std::string(roleName(role)) +
                                   " but it is not one vector per window"};
  return {role, "inferred from name"};
}

}  // namespace imuwb
