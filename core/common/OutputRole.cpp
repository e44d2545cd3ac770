#include "common/OutputRole.hpp"

namespace imuwb {

std::string_view roleName(OutputRole role) {
  switch (role) {
    case OutputRole::Latent:
      return "latent";
    case OutputRole::MotifScores:
      return "motif_scores";
    case OutputRole::Logits:
      return "logits";
    case OutputRole::FsqProjection:
      return "fsq_projection";
    case OutputRole::Other:
      return "other";
  }
  return "other";
}

std::optional<OutputRole> parseRole(std::string_view name) {
  for (auto role :
       {OutputRole::Latent, OutputRole::MotifScores, OutputRole::Logits, OutputRole::FsqProjection})
    if (roleName(role) == name) return role;
  return std::nullopt;
}

}  // namespace imuwb
