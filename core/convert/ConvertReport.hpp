#pragma once
// convert.json: the rewrites (rule, ONNX nodes, what changed), the warnings, the input layout
// change and the equivalence proof, per output.
#include <nlohmann/json.hpp>

#include "convert/Convert.hpp"
#include "convert/Equivalence.hpp"

namespace imuwb::convert {

nlohmann::json toJson(const ConvertLog& log);
nlohmann::json toJson(const EquivalenceReport& proof);

}  // namespace imuwb::convert
