#include "session/UnitConversion.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <sstream>

#include "common/Error.hpp"
#include "session/SampleStats.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

using session_stats::floorQuantile;
using session_text::formatSignificant;
using session_text::lowerAscii;

namespace {

std::string simplify(std::string_view name) {
  std::string text;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    // UTF-8 micro sign (C2 B5) and Greek mu (CE BC) -> 'u'; degree sign (C2 B0) -> "deg";
    // superscript two (C2 B2) -> '2'.
    if (c == 0xC2 && i + 1 < name.size()) {
      const unsigned char next = static_cast<unsigned char>(name[i + 1]);
      if (next == 0xB5)
        text += 'u';
      else if (next == 0xB0)
        text += "deg";
      else if (next == 0xB2)
        text += '2';
      else if (next == 0xB9)
        text += '1';  // superscript one; a middle dot (B7) is a separator and dropped
      ++i;
      continue;
    }
    // superscript minus (E2 81 BB) -> '-'; superscript three (C2 B3) is not a unit we know.
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x81 &&
        static_cast<unsigned char>(name[i + 2]) == 0xBB) {
      text += '-';
      i += 2;
      continue;
    }
    if (c == 0xCE && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0xBC) {
      text += 'u';
      ++i;
      continue;
    }
    if (std::isspace(c) || c == '^' || c == '_' || c == '[' || c == ']' || c == '(' || c == ')' ||
        c == '*' || c == '.')
      continue;
    text += static_cast<char>(c);
  }
  return text;
}

double norm3(const float* v) {
  return std::sqrt(double(v[0]) * v[0] + double(v[1]) * v[1] + double(v[2]) * v[2]);
}

// Splits rows into half-second windows and marks the still ones: |a| varies < 2 % within it.
struct Stillness {
  std::vector<bool> stillRow;
  std::size_t stillWindows = 0, movingWindows = 0;
  std::vector<double> stillAccNorms;  // mean |a| per still window
};

// Windows of a fixed sample count (half a second at the contract's 100 Hz): the outcome must
// not depend on a rate, which a user may declare wrongly.
Stillness findStillness(const float* rows, std::size_t n, int channels) {
  Stillness result;
  result.stillRow.assign(n, false);
  const std::size_t window = 50;
  for (std::size_t first = 0; first + window <= n || (first == 0 && n >= 5); first += window) {
    const std::size_t count = std::min(window, n - first);
    double sum = 0, sumSq = 0;
    bool finite = true;
    for (std::size_t r = first; r < first + count; ++r) {
      const double a = norm3(rows + r * channels);
      finite = finite && std::isfinite(a);
      sum += a;
      sumSq += a * a;
    }
    const double mean = sum / static_cast<double>(count);
    const double spread =
        std::sqrt(std::max(0.0, sumSq / static_cast<double>(count) - mean * mean));
    if (finite && mean > 0 && spread < 0.02 * mean) {
      ++result.stillWindows;
      result.stillAccNorms.push_back(mean);
      for (std::size_t r = first; r < first + count; ++r) result.stillRow[r] = true;
    } else {
      ++result.movingWindows;
    }
    if (count < window) break;
  }
  return result;
}

std::string classifyAcceleration(double gravity) {
  if (gravity > 7.5 && gravity < 12.5) return "m/s^2";
  if (gravity > 0.75 && gravity < 1.25) return "g";
  if (gravity > 750 && gravity < 1250) return "mg";
  return {};
}

std::string classifyField(double field) {
  if (field > 15 && field < 100) return "uT";
  if (field > 150 && field < 1000) return "mG";
  if (field > 15000 && field < 100000) return "nT";
  if (field > 0.2 && field < 0.7) return "G";
  return {};
}

}  // namespace

std::string_view contractUnit(SensorGroup group) {
  switch (group) {
    case SensorGroup::Accelerometer:
      return "m/s^2";
    case SensorGroup::Gyroscope:
      return "rad/s";
    case SensorGroup::Magnetometer:
      return "uT";
  }
  return "";
}

std::string_view groupName(SensorGroup group) {
  switch (group) {
    case SensorGroup::Accelerometer:
      return "acc";
    case SensorGroup::Gyroscope:
      return "gyro";
    case SensorGroup::Magnetometer:
      return "mag";
  }
  return "";
}

std::optional<std::string> canonicalUnit(SensorGroup group, std::string_view name) {
  const std::string exact = simplify(name);
  const std::string text = lowerAscii(exact);
  switch (group) {
    case SensorGroup::Accelerometer:
      if (text == "m/s2" || text == "ms2" || text == "m/s/s" || text == "mps2" || text == "ms-2" ||
          text == "m/s**2" || text == "mss" || text == "ms^-2" || text == "m/sec2" ||
          text == "m/sec/sec" || text == "meter/s2" || text == "meters/s2" || text == "mpss")
        return "m/s^2";
      if (text == "g" || text == "gs" || text == "gee" || text == "gravity") return "g";
      if (text == "mg" || text == "milli-g" || text == "millig") return "mg";
      return std::nullopt;
    case SensorGroup::Gyroscope:
      if (text == "rad/s" || text == "rads" || text == "radps" || text == "rad" || text == "r/s" ||
          text == "rad/sec" || text == "rads-1" || text == "radians/s" || text == "radian/s" ||
          text == "radians/sec")
        return "rad/s";
      if (text == "deg/s" || text == "dps" || text == "degs" || text == "deg" || text == "degps" ||
          text == "deg/sec" || text == "degree/s" || text == "degrees/s" || text == "degs-1" ||
          text == "degrees/sec" || text == "degree/sec" || text == "dps")
        return "deg/s";
      return std::nullopt;
    case SensorGroup::Magnetometer:
      if (text == "ut" || text == "microtesla" || text == "microteslas") return "uT";
      if (text == "nt" || text == "nanotesla") return "nT";
      if (text == "mg" || text == "mgauss" || text == "milligauss" || text == "mgs") return "mG";
      if (text == "g" || text == "gauss" || text == "gs") return "G";
      return std::nullopt;
  }
  return std::nullopt;
}

double scaleToContract(SensorGroup group, std::string_view unit) {
  if (unit == contractUnit(group)) return 1.0;
  if (group == SensorGroup::Accelerometer && unit == "g") return kStandardGravity;
  if (group == SensorGroup::Accelerometer && unit == "mg") return kStandardGravity / 1000.0;
  if (group == SensorGroup::Gyroscope && unit == "deg/s") return std::numbers::pi / 180.0;
  if (group == SensorGroup::Magnetometer && unit == "mG") return 0.1;
  if (group == SensorGroup::Magnetometer && unit == "nT") return 0.001;
  if (group == SensorGroup::Magnetometer && unit == "G") return 100.0;
  throw Error(std::string(groupName(group)) + " unit '" + std::string(unit) + "'", "unknown unit",
              "use one of m/s^2 g mg | rad/s deg/s | uT mG nT G");
}

UnitOverrides UnitOverrides::parse(std::string_view text) {
  UnitOverrides overrides;
  std::string rest(text);
  std::stringstream stream(rest);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty()) continue;
    const auto equals = item.find('=');
    const std::string key = lowerAscii(simplify(item.substr(0, equals)));
    if (equals == std::string::npos)
      throw Error("--units '" + std::string(text) + "'", "'" + item + "' has no '='",
                  "write --units acc=g,gyro=deg/s,mag=mG");
    const std::string value = item.substr(equals + 1);
    SensorGroup group;
    if (key == "acc" || key == "accel" || key == "a")
      group = SensorGroup::Accelerometer;
    else if (key == "gyro" || key == "g" || key == "gyr")
      group = SensorGroup::Gyroscope;
    else if (key == "mag" || key == "m")
      group = SensorGroup::Magnetometer;
    else
      throw Error("--units '" + std::string(text) + "'", "unknown sensor '" + key + "'",
                  "use acc, gyro or mag: --units acc=g,gyro=deg/s,mag=mG");
    const auto unit = canonicalUnit(group, value);
    if (!unit)
      throw Error("--units '" + std::string(text) + "'",
                  "'" + value + "' is not a known " + std::string(groupName(group)) + " unit",
                  "acc: m/s^2 g mg; gyro: rad/s deg/s; mag: uT mG nT G");
    (group == SensorGroup::Accelerometer ? overrides.acc
     : group == SensorGroup::Gyroscope   ? overrides.gyro
                                         : overrides.mag) = *unit;
  }
  return overrides;
}

const std::optional<std::string>& UnitOverrides::of(SensorGroup group) const {
  return group == SensorGroup::Accelerometer ? acc : group == SensorGroup::Gyroscope ? gyro : mag;
}

UnitDetection detectUnit(SensorGroup group, const float* rows, std::size_t n, int channels) {
  UnitDetection detection;
  if (n == 0) {
    detection.evidence = "no samples";
    return detection;
  }
  const Stillness still = findStillness(rows, n, channels);
  const int offset = group == SensorGroup::Accelerometer ? 0
                     : group == SensorGroup::Gyroscope   ? 3
                                                         : 6;
  std::vector<double> norms;
  norms.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    const double value = norm3(rows + r * channels + offset);
    if (std::isfinite(value)) norms.push_back(value);
  }
  if (norms.empty()) {
    detection.evidence = "no finite samples";
    return detection;
  }
  switch (group) {
    case SensorGroup::Accelerometer: {
      if (still.stillWindows > 0) {
        const double gravity = floorQuantile(still.stillAccNorms, 0.5);
        detection.unit = classifyAcceleration(gravity);
        detection.strong = !detection.unit.empty();
        detection.evidence = "|a| while still is " + formatSignificant(gravity, 3) + " (" +
                             std::to_string(still.stillWindows) + " still half-seconds)";
      } else {
        const double typical = floorQuantile(norms, 0.5);
        detection.unit = classifyAcceleration(typical);
        detection.evidence = "no still period; median |a| is " + formatSignificant(typical, 3);
      }
      break;
    }
    case SensorGroup::Gyroscope: {
      const double extreme = floorQuantile(norms, 0.999);
      std::vector<double> stillNorms, movingNorms;
      for (std::size_t r = 0; r < n; ++r) {
        const double value = norm3(rows + r * channels + 3);
        if (!std::isfinite(value)) continue;
        (still.stillRow[r] ? stillNorms : movingNorms).push_back(value);
      }
      const double stillTypical = floorQuantile(stillNorms, 0.5);
      const double movingTypical = floorQuantile(movingNorms, 0.5);
      std::string facts = "peak |gyro| " + formatSignificant(extreme, 3);
      if (!stillNorms.empty())
        facts += ", median while still " + formatSignificant(stillTypical, 3);
      if (!movingNorms.empty())
        facts += ", median while moving " + formatSignificant(movingTypical, 3);
      detection.evidence = facts;
      if (extreme > 40) {
        detection = {"deg/s", true, facts + ": above 40, impossible in rad/s for a body"};
      } else if (!movingNorms.empty() && movingTypical > 8) {
        detection = {"deg/s", true, facts + ": a sustained 8+ rad/s is implausible"};
      } else if (!stillNorms.empty() && stillTypical > 0.3) {
        detection = {"deg/s", true, facts + ": a still sensor reads ~0 rad/s, so this is deg/s"};
      } else if (!movingNorms.empty() && movingTypical > 0.05 && movingTypical < 4) {
        detection = {"rad/s", false, facts + ": plausible rad/s while moving"};
      } else if (!stillNorms.empty() && stillTypical < 0.05) {
        detection = {"rad/s", false, facts + ": near zero while still (either unit)"};
      }
      break;
    }
    case SensorGroup::Magnetometer: {
      const double field = floorQuantile(norms, 0.5);
      const double spread = floorQuantile(norms, 0.75) - floorQuantile(norms, 0.25);
      detection.unit = classifyField(field);
      detection.strong = !detection.unit.empty() && spread < 0.3 * field;
      detection.evidence = "median |mag| " + formatSignificant(field, 3) +
                           ", interquartile spread " + formatSignificant(spread, 3) +
                           " (Earth's field: 25-65 uT)";
      break;
    }
  }
  return detection;
}

UnitDecision decideUnit(SensorGroup group, const std::string& source,
                        const std::optional<std::string>& given,
                        const std::optional<std::string>& declared, UnitDeclaration declaration,
                        const UnitDetection& detection) {
  UnitDecision decision;
  decision.group = group;
  const std::string name(groupName(group));
  Finding& report = decision.report;
  report.code = "unit_" + name;
  report.subject = name;
  report.severity = Severity::Info;
  std::string how;
  if (given) {
    decision.unit = *given;
    how = "as given by --units";
  } else if (declared && declaration == UnitDeclaration::Header) {
    decision.unit = *declared;
    how = "from the column header";
  } else if (declaration == UnitDeclaration::Contract) {
    if (detection.strong && detection.unit != contractUnit(group)) {
      decision.unit = detection.unit;
      how = "detected, although the format promises " + std::string(contractUnit(group));
      report.severity = Severity::Warning;
    } else {
      decision.unit = std::string(contractUnit(group));
      how = detection.unit == decision.unit ? "the format's promise, consistent with the data"
            : detection.unit.empty()
                ? "the format's promise (the data cannot confirm it)"
                : "the format's promise (the data weakly suggests " + detection.unit + ")";
      if (detection.unit != decision.unit) report.severity = Severity::Warning;
    }
  } else if (!detection.unit.empty()) {
    decision.unit = detection.unit;
    how = detection.strong ? "detected" : "detected from weak evidence";
    if (!detection.strong) report.severity = Severity::Warning;
  } else {
    throw Error(source,
                "cannot tell the " + name + " unit from the data (" + detection.evidence + ")",
                "say it explicitly: --units " + name + "=" +
                    (group == SensorGroup::Accelerometer ? "m/s^2|g|mg"
                     : group == SensorGroup::Gyroscope   ? "rad/s|deg/s"
                                                         : "uT|mG|nT|G"));
  }
  if ((given || (declared && declaration == UnitDeclaration::Header)) && detection.strong &&
      detection.unit != decision.unit) {
    report.severity = Severity::Warning;
    how += "; but the data looks like " + detection.unit;
  }
  decision.scale = scaleToContract(group, decision.unit);
  const bool converted = decision.unit != contractUnit(group);
  report.message = name + ": " + decision.unit +
                   (converted ? " -> " + std::string(contractUnit(group)) + " (x" +
                                    formatSignificant(decision.scale, 6) + ")"
                              : " (no conversion)") +
                   ", " + how + "; evidence: " + detection.evidence;
  if (report.severity == Severity::Warning)
    report.fix = "if this is wrong, re-import with --units " + name + "=<unit>";
  return decision;
}

// Earth's field is 25-65 uT; indoors, steel bends it, but a median outside 15-100 uT after
// conversion means a wrong unit, an uncalibrated sensor or a magnet nearby.
std::optional<Finding> implausibleMagneticField(const float* rows, std::size_t n) {
  std::vector<double> norms;
  norms.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    const double value = norm3(rows + r * kChannelCount + 6);  // 9-channel rows only
    if (std::isfinite(value)) norms.push_back(value);
  }
  if (norms.empty()) return std::nullopt;
  const double field = floorQuantile(norms, 0.5);
  if (field >= 15 && field <= 100) return std::nullopt;
  Finding finding;
  finding.severity = Severity::Warning;
  finding.code = "mag_field_implausible";
  finding.subject = "mag";
  finding.message = "median |mag| is " + formatSignificant(field, 3) +
                    " uT after conversion, outside the 15-100 uT an Earth field can read";
  finding.fix = "check the magnetometer unit (--units mag=uT|mG|nT|G) and its calibration";
  return finding;
}

std::vector<UnitDecision> decideUnits(const float* rows, std::size_t n, const std::string& source,
                                      const UnitOverrides& given, const UnitOverrides& declared,
                                      UnitDeclaration declaration, int channels) {
  std::vector<UnitDecision> decisions;
  std::vector<SensorGroup> groups = {SensorGroup::Accelerometer, SensorGroup::Gyroscope};
  if (channels == kChannelCount) groups.push_back(SensorGroup::Magnetometer);
  for (SensorGroup group : groups) {
    const UnitDetection detection = detectUnit(group, rows, n, channels);
    decisions.push_back(
        decideUnit(group, source, given.of(group), declared.of(group), declaration, detection));
  }
  return decisions;
}

void applyUnitScales(float* rows, std::size_t n, int channels,
                     const std::vector<UnitDecision>& decisions) {
  for (const auto& decision : decisions) {
    if (decision.scale == 1.0) continue;
    const int offset = decision.group == SensorGroup::Accelerometer ? 0
                       : decision.group == SensorGroup::Gyroscope   ? 3
                                                                    : 6;
    const auto scale = static_cast<float>(decision.scale);
    for (std::size_t r = 0; r < n; ++r)
      for (int c = 0; c < 3; ++c) rows[r * channels + offset + c] *= scale;
  }
}

std::vector<Finding> normalizeUnits(std::vector<float>& rows, double /*sampleRateHz*/,
                                    const std::string& source, const UnitOverrides& given,
                                    const UnitOverrides& declared, UnitDeclaration declaration,
                                    int channels) {
  const std::size_t n = rows.size() / static_cast<std::size_t>(channels);
  const auto decisions =
      decideUnits(rows.data(), n, source, given, declared, declaration, channels);
  applyUnitScales(rows.data(), n, channels, decisions);
  std::vector<Finding> reports;
  for (const auto& decision : decisions) reports.push_back(decision.report);
  if (channels == kChannelCount)
    if (auto implausible = implausibleMagneticField(rows.data(), n))
      reports.push_back(*implausible);
  return reports;
}

}  // namespace imuwb
