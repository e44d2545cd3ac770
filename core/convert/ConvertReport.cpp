#include "convert/ConvertReport.hpp"

namespace imuwb::convert {

nlohmann::json toJson(const ConvertLog& log) {
  nlohmann::json rewrites = nlohmann::json::array(), inputs = nlohmann::json::array();
  for (const auto& record : log.rewrites)
    rewrites.push_back({{"rule", record.rule}, {"nodes", record.nodes}, {"detail", record.detail}});
  for (const auto& input : log.inputs)
    inputs.push_back({{"name", input.name},
                      {"original_shape", input.originalShape},
                      {"new_shape", input.newShape},
                      {"perm", input.perm},
                      {"changed", input.changed()}});
  return {{"rewrites", rewrites}, {"warnings", log.warnings}, {"inputs", inputs}};
}

nlohmann::json toJson(const EquivalenceReport& proof) {
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& output : proof.outputs)
    outputs.push_back({{"name", output.name},
                       {"cosine", output.cosine},
                       {"min_window_cosine", output.minWindowCosine},
                       {"max_abs", output.maxAbs},
                       {"max_rel", output.maxRel},
                       {"max_magnitude", output.maxMagnitude}});
  return {{"windows", proof.windows},      {"origin", proof.origin},
          {"min_cosine", proof.minCosine}, {"max_rel", proof.maxRelative},
          {"passed", proof.passed()},      {"outputs", outputs}};
}

}  // namespace imuwb::convert
