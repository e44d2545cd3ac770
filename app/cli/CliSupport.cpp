#include "CliSupport.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/Error.hpp"

namespace imuwb::cli {

void runGuarded(CliState& state, const std::function<int()>& body) {
  try {
    state.exitCode = body();
  } catch (const Error& error) {
    if (state.json) {
      printJson({{"error", {{"where", error.where()}, {"problem", error.problem()}, {"fix", error.fix()}}}});
    }
    std::cerr << "error: " << error.what() << "\n";
    state.exitCode = kUsageOrIo;
  } catch (const Cancelled&) {
    std::cerr << "cancelled\n";
    state.exitCode = kUsageOrIo;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    state.exitCode = kUsageOrIo;
  }
}

void printJson(const nlohmann::json& document) { std::cout << document.dump(2) << "\n"; }

JobControl terminalProgress(std::string label) {
  JobControl control;
  if (!::isatty(STDERR_FILENO)) return control;
  struct BarState {
    std::string label;
    std::chrono::steady_clock::time_point lastDraw{};
    int lastPercent = -1;
  };
  auto bar = std::make_shared<BarState>();
  bar->label = std::move(label);
  control.onProgress = [bar](double fraction, std::string_view stage) {
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    const auto now = std::chrono::steady_clock::now();
    // Redraw at most ~20 times a second, and always at 100 %.
    if (percent == bar->lastPercent && percent != 100) return;
    if (now - bar->lastDraw < std::chrono::milliseconds(50) && percent != 100) return;
    bar->lastDraw = now;
    bar->lastPercent = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.*s\x1b[K", bar->label.c_str(), filled,
                 "##############################", kWidth - filled, "", percent,
                 static_cast<int>(stage.size()), stage.data());
    if (percent >= 100) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };
  return control;
}

double parseDurationSeconds(const std::string& text) {
  std::size_t consumed = 0;
  double value = 0;
  try {
    value = std::stod(text, &consumed);
  } catch (const std::exception&) {
    consumed = 0;
  }
  const std::string unit = consumed ? text.substr(consumed) : "";
  double scale = -1;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "ms") scale = 1e-3;
  else if (unit == "m" || unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  if (consumed == 0 || scale < 0 || !(value > 0))
    throw Error("duration '" + text + "'", "not a positive duration",
                "write a number with an optional unit: 90s, 10m, 1.5h, 24h");
  return value * scale;
}

std::vector<std::string> splitCommaList(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (!text.empty()) {
    const auto end = text.find(',', begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return parts;
}

void printFindingLines(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    std::printf("  [%s] %s%s%s\n", std::string(severityName(f.severity)).c_str(), f.message.c_str(),
                f.fix.empty() ? "" : "\n      fix: ", f.fix.c_str());
}

}  // namespace imuwb::cli
