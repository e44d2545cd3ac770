#pragma once
// What a model output means to the host. One vocabulary for the manifest, the backends, the
// parity metrics and the reports. `Other` is an output whose meaning is unknown (a bare ONNX
// export, or a name the host cannot place); a manifest never declares it.
#include <optional>
#include <string_view>

namespace imuwb {

enum class OutputRole { Latent, MotifScores, Logits, FsqProjection, Other };

std::string_view roleName(OutputRole role);  // "latent", "motif_scores", "logits", ...
// The roles a manifest may declare; "other" and unknown text give nullopt.
std::optional<OutputRole> parseRole(std::string_view name);

}  // namespace imuwb
