#pragma once
// A structured finding from validation or a contract check: how bad, where, and what to do.
// Session validation, `imuwb check` and parity all report through this one type.
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imuwb {

enum class Severity { Info, Warning, Error };

inline std::string_view severityName(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "unknown";
}

struct Finding {
  Severity severity = Severity::Info;
  std::string code;     // stable machine id: "nan_run", "unit_gyro_degrees", "op_not_hailo_safe"
  std::string message;  // what was found, in plain words
  std::string fix;      // what to do about it (may be empty for info)
  std::string device;   // session device, if any
  std::string subject;  // node name, channel name, output name... whatever the finding is about
  int channel = -1;     // contract channel index, -1 when not channel-specific
  double start_s = std::numeric_limits<double>::quiet_NaN();  // time range, NaN when none
  double end_s = std::numeric_limits<double>::quiet_NaN();
};

inline bool hasErrors(const std::vector<Finding>& findings) {
  for (const auto& finding : findings)
    if (finding.severity == Severity::Error) return true;
  return false;
}

inline nlohmann::json toJson(const Finding& finding) {
  nlohmann::json out = {{"severity", severityName(finding.severity)},
                        {"code", finding.code},
                        {"message", finding.message},
                        {"fix", finding.fix}};
  if (!finding.device.empty()) out["device"] = finding.device;
  if (!finding.subject.empty()) out["subject"] = finding.subject;
  if (finding.channel >= 0) out["channel"] = finding.channel;
  if (finding.start_s == finding.start_s) out["start_s"] = finding.start_s;
  if (finding.end_s == finding.end_s) out["end_s"] = finding.end_s;
  return out;
}

}  // namespace imuwb
