#pragma once
// Recordings written the way loggers write them, for the import tests: one generated session's
// samples in any unit, delimiter, decimal mark, time format and label column.
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "session/SessionGenerator.hpp"

namespace imuwb::test_import {

inline const Session& reference() {
  static const Session session = [] {
    GeneratorOptions options;
    options.durationSeconds = 60;
    options.seed = 33;
    return generateSession(options);
  }();
  return session;
}

struct LoggerFormat {
  std::vector<std::string> preamble;  // lines before the header (comments, blank lines)
  std::vector<std::string> header;    // column names; data columns follow in this order
  std::string delimiter = ",";
  bool decimalComma = false;
  std::array<double, 3> scale = {1, 1, 1};        // acc, gyro, mag multipliers (g, deg/s, ...)
  std::function<std::string(std::size_t)> time;   // first field(s) of a row, or none
  std::function<std::string(std::size_t)> label;  // last field of a row, or none
  std::function<std::string(std::size_t)> extra;  // an extra field after the channels
  std::vector<int> channels = {0, 1, 2, 3, 4, 5, 6, 7, 8};  // which channels, in order
  bool bom = false;
  std::size_t rows = 3000;
};

inline std::string number(double value, bool decimalComma) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  std::string text(buffer);
  if (decimalComma)
    for (auto& c : text)
      if (c == '.') c = ',';
  return text;
}

// Row r's value of channel c in the format's units.
// Channels 10-12 stand for a logger's linear (gravity-removed) acceleration.
inline double valueAt(const LoggerFormat& format, std::size_t r, int c) {
  if (c >= 10) return 0.05 * static_cast<double>((r * 7 + static_cast<std::size_t>(c)) % 11) - 0.25;
  return reference().devices[0].at(r, c) * format.scale[static_cast<std::size_t>(c / 3)];
}

inline void writeRecording(const std::filesystem::path& path, const LoggerFormat& format) {
  std::ofstream out(path, std::ios::binary);
  if (format.bom) out << "\xEF\xBB\xBF";
  for (const auto& line : format.preamble) out << line << "\n";
  for (std::size_t i = 0; i < format.header.size(); ++i)
    out << (i ? format.delimiter : "") << format.header[i];
  if (!format.header.empty()) out << "\n";  // none: the last preamble line is the header
  for (std::size_t r = 0; r < format.rows; ++r) {
    std::vector<std::string> fields;
    if (format.time) fields.push_back(format.time(r));
    for (int c : format.channels)
      fields.push_back(number(valueAt(format, r, c), format.decimalComma));
    if (format.extra) fields.push_back(format.extra(r));
    if (format.label) fields.push_back(format.label(r));
    for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? format.delimiter : "") << fields[i];
    out << "\n";
  }
}

inline const Finding* findCode(const std::vector<Finding>& report, const std::string& code) {
  for (const auto& finding : report)
    if (finding.code == code) return &finding;
  return nullptr;
}

inline bool mentions(const Finding* finding, const std::string& text) {
  return finding && finding->message.find(text) != std::string::npos;
}

// "HH:MM:SS" for whole seconds since midnight.
inline std::string clock(std::size_t seconds) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02zu:%02zu:%02zu", seconds / 3600 % 24, seconds / 60 % 60,
                seconds % 60);
  return buffer;
}

inline constexpr double kG = 9.80665;
inline constexpr double kDeg = 180.0 / std::numbers::pi;

}  // namespace imuwb::test_import
