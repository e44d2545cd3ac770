#include "backends/edgeinfer/SidecarProtocol.hpp"

#include <charconv>
#include <cmath>

#include "backends/edgeinfer/WindowBodyScanner.hpp"
#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"

namespace imuwb::sidecar {

namespace {

nlohmann::json entry(nlohmann::json loc, const std::string& msg, const std::string& type) {
  return {{"loc", std::move(loc)}, {"msg", msg}, {"type", type}};
}

float boundOf(std::size_t channel) {
  return channel < 3 ? kMaxAcc : channel < 6 ? kMaxGyro : kMaxMag;
}

const char* kindOf(std::size_t channel) {
  return channel < 3 ? "acc" : channel < 6 ? "gyro" : "mag";
}

void flatten(const nlohmann::json& value, std::vector<float>& out, const std::string& where) {
  if (value.is_number()) {
    out.push_back(value.get<float>());
    return;
  }
  if (!value.is_array()) throw Error(where, "holds a value that is not a number");
  for (const auto& item : value) flatten(item, out, where);
}

}  // namespace

void validateWindow(const float* rows, std::size_t count, const std::string& key,
                    nlohmann::json& detail) {
  for (std::size_t row = 0; row < count; ++row) {
    for (std::size_t channel = 0; channel < kChannelCount; ++channel) {
      if (detail.size() >= kMaxDetailEntries) return;
      const float value = rows[row * kChannelCount + channel];
      // The place is built only for a value that fails (a JSON array per value cost more than
      // the whole inference for a small model).
      const auto loc = [&] { return nlohmann::json{"body", key, row, channel}; };
      if (!std::isfinite(value)) {
        detail.push_back(entry(loc(), "value is not finite", "value_error.not_finite"));
      } else if (std::fabs(value) > boundOf(channel)) {
        detail.push_back(entry(loc(),
                               std::string("|") + kindOf(channel) + "| " +
                                   std::to_string(std::fabs(value)) + " exceeds " +
                                   std::to_string(static_cast<int>(boundOf(channel))),
                               "value_error.out_of_range"));
      }
    }
  }
}

ParsedWindow parseWindowBody(std::string_view body, const std::string& key,
                             std::size_t expectedRows) {
  ParsedWindow parsed;
  // The usual body takes the fast path; anything unusual gets the full parser and its detail.
  if (body.size() <= limits::value(limits::kJsonBytes) &&
      scanWindowBody(body, key, expectedRows, parsed.rows)) {
    validateWindow(parsed.rows.data(), expectedRows, key, parsed.detail);
    if (!parsed.ok()) parsed.rows.clear();
    return parsed;
  }
  parsed.rows.clear();
  nlohmann::json document;
  try {
    document = parseJsonBounded(body, "request body");
  } catch (const Error& error) {
    parsed.detail.push_back(entry({"body"}, error.what(), "value_error.jsondecode"));
    return parsed;
  }
  if (!document.is_object() || !document.contains(key) || !document[key].is_array()) {
    parsed.detail.push_back(
        entry({"body", key}, "field required: an array of rows", "value_error.missing"));
    return parsed;
  }
  const auto& rows = document[key];
  if (rows.size() != expectedRows) {
    parsed.detail.push_back(entry({"body", key},
                                  "expected " + std::to_string(expectedRows) + " rows of 9, got " +
                                      std::to_string(rows.size()) + " rows",
                                  "value_error.shape"));
    return parsed;
  }
  parsed.rows.reserve(expectedRows * kChannelCount);
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const auto& values = rows[row];
    if (!values.is_array() || values.size() != kChannelCount) {
      parsed.detail.push_back(
          entry({"body", key, row}, "a row must hold 9 numbers", "value_error.shape"));
      return parsed;
    }
    for (const auto& value : values) {
      if (!value.is_number()) {
        parsed.detail.push_back(
            entry({"body", key, row}, "holds a value that is not a number", "type_error.float"));
        return parsed;
      }
      parsed.rows.push_back(value.get<float>());
    }
  }
  validateWindow(parsed.rows.data(), expectedRows, key, parsed.detail);
  if (!parsed.ok()) parsed.rows.clear();
  return parsed;
}

std::string windowBody(const float* rows, std::size_t count, std::string_view key) {
  std::string body;
  body.reserve(16 + count * kChannelCount * 14);
  body.append("{\"").append(key).append("\":[");
  char number[32];
  for (std::size_t row = 0; row < count; ++row) {
    body.append(row ? ",[" : "[");
    for (std::size_t channel = 0; channel < kChannelCount; ++channel) {
      if (channel) body.push_back(',');
      const float value = rows[row * kChannelCount + channel];
      if (!std::isfinite(value)) {
        body.append("null");  // JSON has no NaN: the sidecar refuses it with a 422
      } else if (value == 0.0f && std::signbit(value)) {
        body.append("-0.0");  // "-0" would be read as the integer 0
      } else {
        // 9 significant digits give back the float through any correctly rounded reader, also
        // one that reads a double first and then rounds it (Python, nlohmann, our scanner).
        const auto written =
            std::to_chars(number, number + sizeof number, value, std::chars_format::general, 9);
        body.append(number, written.ptr);
      }
    }
    body.push_back(']');
  }
  body.append("]}");
  return body;
}

std::string contractKey(const OutputSpec& output) {
  switch (output.role) {
    case OutputRole::Latent:
      return "latent";
    case OutputRole::MotifScores:
      return "motif_scores";
    case OutputRole::Logits:
      return "logits";
    default:
      return {};
  }
}

std::vector<float> readOutput(const nlohmann::json& response, const OutputSpec& output,
                              const std::string& where) {
  const nlohmann::json* found = nullptr;
  const auto key = contractKey(output);
  for (const auto& candidate :
       {output.name, key,
        std::string(output.role == OutputRole::Latent ? "latent_embedding" : "")}) {
    if (!candidate.empty() && response.is_object() && response.contains(candidate)) {
      found = &response[candidate];
      break;
    }
  }
  if (!found)
    throw Error(where,
                "the response has no output '" + output.name + "'" +
                    (key.empty() ? "" : " (nor '" + key + "')"),
                "check that the sidecar serves this model: GET /healthz names it");
  std::vector<float> values;
  flatten(*found, values, where + ": output '" + output.name + "'");
  if (output.size > 0 && values.size() != static_cast<std::size_t>(output.size))
    throw Error(where,
                "output '" + output.name + "' has " + std::to_string(values.size()) +
                    " values, the manifest says " + std::to_string(output.size),
                "check that the sidecar serves this model: GET /healthz names it");
  return values;
}

}  // namespace imuwb::sidecar
