// imuwb info FILE: what a session holds (devices, duration, rate, channels and units, label
// histogram) and what validation finds. Exit 1 when a finding is an error.
#include <cstdio>
#include <map>

#include "Commands.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"
#include "session/TextFormat.hpp"

namespace imuwb::cli {

namespace {
std::string formatDuration(double seconds) {
  char text[64];
  const auto total = static_cast<long long>(seconds);
  if (seconds >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm%02llds", total / 3600, total / 60 % 60,
                  total % 60);
  else if (seconds >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%.2fs", seconds);
  return text;
}
// JSON text must be UTF-8, but file, device and class names come from the file system and
// the file: invalid bytes become U+FFFD instead of aborting the dump.
nlohmann::json utf8Safe(const nlohmann::json& value) {
  using session_text::validUtf8;
  if (value.is_string()) return validUtf8(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(utf8Safe(item));
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) out[validUtf8(key)] = utf8Safe(item);
    return out;
  }
  return value;
}
// {"collar": 9, "harness": 6}: which devices lack a magnetometer.
nlohmann::json deviceChannelsJson(const SessionHeader& header) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t d = 0; d < header.deviceNames.size(); ++d)
    out[header.deviceNames[d]] = header.deviceChannels[d];
  return out;
}
}  // namespace

void addInfoCommand(CLI::App& root, CliState& state) {
  auto* command = root.add_subcommand("info", "Summarise and validate a session file (.h5)");
  auto path = std::make_shared<std::string>();
  auto skipValidation = std::make_shared<bool>(false);
  command->add_option("file", *path, "Session HDF5 file")->required();
  command->add_flag("--no-validate", *skipValidation, "Only read the header (fast on 24 h files)");
  command->callback([&state, path, skipValidation] {
    runGuarded(state, [&] {
      const SessionReader reader = SessionReader::open(*path);
      const SessionHeader& header = reader.header();
      std::vector<Finding> findings;
      if (!*skipValidation) findings = validateSessionFile(reader, jobControl(state, "validating"));
      std::map<std::string, std::pair<std::size_t, double>> histogram;  // count, seconds
      for (const auto& label : header.labels) {
        auto& entry = histogram[label.label];
        ++entry.first;
        entry.second += label.end_s - label.start_s;
      }
      std::size_t errors = 0, warnings = 0;
      for (const auto& finding : findings) {
        errors += finding.severity == Severity::Error;
        warnings += finding.severity == Severity::Warning;
      }
      if (state.json) {
        nlohmann::json labels = nlohmann::json::object();
        for (const auto& [name, entry] : histogram)
          labels[name] = {{"intervals", entry.first}, {"seconds", entry.second}};
        nlohmann::json findingsJson = nlohmann::json::array();
        for (const auto& finding : findings) findingsJson.push_back(toJson(finding));
        printJson(utf8Safe(
            {{"file", header.path.string()},
             {"format_version", header.formatVersion},
             {"devices", header.deviceNames},
             {"sample_count", header.sampleCount},
             {"sample_rate_hz", header.sampleRateHz},
             {"duration_s", header.durationSeconds()},
             {"start_time", header.startTime},
             {"explicit_time", header.hasExplicitTime},
             {"channels", std::vector<std::string>(kChannelNames.begin(), kChannelNames.end())},
             {"units", std::vector<std::string>(kChannelUnits.begin(), kChannelUnits.end())},
             {"device_channels", deviceChannelsJson(header)},
             {"classes", header.classes},
             {"labels", labels},
             {"metadata", header.metadata},
             {"validated", !*skipValidation},
             {"findings", findingsJson}}));
      } else {
        std::printf("%s\n", header.path.string().c_str());
        std::printf("  format     imuwb-session v%d\n", header.formatVersion);
        std::printf("  devices    %zu:", header.deviceNames.size());
        for (const auto& name : header.deviceNames) std::printf(" %s", name.c_str());
        std::printf("\n  samples    %zu per device at %g Hz (%s time)\n", header.sampleCount,
                    header.sampleRateHz, header.hasExplicitTime ? "explicit" : "uniform");
        std::printf("  duration   %s\n", formatDuration(header.durationSeconds()).c_str());
        if (!header.startTime.empty()) std::printf("  start      %s\n", header.startTime.c_str());
        for (std::size_t d = 0; d < header.deviceNames.size(); ++d)
          std::printf("  channels   %s: %s\n", header.deviceNames[d].c_str(),
                      header.deviceChannels[d] == kChannelCount
                          ? "ax ay az [m/s^2]  gx gy gz [rad/s]  mx my mz [uT]"
                          : "ax ay az [m/s^2]  gx gy gz [rad/s]  (no magnetometer)");
        if (histogram.empty()) {
          std::printf("  labels     none\n");
        } else {
          std::printf("  labels     %zu intervals, %zu classes\n", header.labels.size(),
                      header.classes.size());
          for (const auto& [name, entry] : histogram)
            std::printf("    %-12s %5zu x  %10.1f s  %5.1f %%\n", name.c_str(), entry.first,
                        entry.second,
                        100.0 * entry.second / std::max(header.durationSeconds(), 1e-9));
        }
        if (*skipValidation) {
          std::printf("  validation skipped\n");
        } else {
          std::printf("  validation %zu error(s), %zu warning(s)\n", errors, warnings);
          for (const auto& finding : findings) {
            std::printf("    %-7s %-18s", std::string(severityName(finding.severity)).c_str(),
                        finding.code.c_str());
            if (!finding.device.empty()) std::printf(" [%s]", finding.device.c_str());
            if (finding.start_s == finding.start_s)
              std::printf(" @%.2f-%.2fs", finding.start_s, finding.end_s);
            std::printf(" %s\n", finding.message.c_str());
            if (!finding.fix.empty()) std::printf("            fix: %s\n", finding.fix.c_str());
          }
        }
      }
      return errors > 0 ? kFindings : kOk;
    });
  });
}

}  // namespace imuwb::cli
