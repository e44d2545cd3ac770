#include "session/CsvImport.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"
#include "session/TextFormat.hpp"
#include "session/UnitConsistency.hpp"
#include "session/import/CsvTable.hpp"

namespace imuwb {

using session_text::formatSignificant;

namespace {

// Units a device's column headers declare (acc_x_g...); axes of one sensor must agree.
UnitOverrides declaredUnits(const CsvLayout& layout, const std::string& device,
                            const std::string& source) {
  UnitOverrides declared;
  std::optional<std::string> conflict;
  for (const auto& column : layout.columns) {
    if (column.role != ColumnRole::Sensor || column.device != device || column.unitHint.empty())
      continue;
    auto& slot = column.channel < 3   ? declared.acc
                 : column.channel < 6 ? declared.gyro
                                      : declared.mag;
    if (slot && *slot != column.unitHint) conflict = column.header;
    slot = column.unitHint;
  }
  if (conflict)
    throw Error(source + ": column '" + *conflict + "'",
                "axes of one sensor declare different units", "use one unit per sensor");
  return declared;
}

// The session holds all nine contract channels per device (6-axis sessions come later): a
// device missing any is refused, naming the missing channels and how to map them.
void requireAllChannels(const CsvTable& table, const std::string& headerWhere) {
  for (std::size_t d = 0; d < table.layout.devices.size(); ++d) {
    std::string missing;
    bool magnetometer = true;
    for (int c = 0; c < kChannelCount; ++c)
      if (table.columnOf[d][static_cast<std::size_t>(c)] < 0) {
        missing += " " + std::string(kChannelNames[static_cast<std::size_t>(c)]);
        magnetometer = magnetometer && c >= 6;
      }
    if (missing.empty()) continue;
    const std::string& device = table.layout.devices[d];
    throw Error(headerWhere,
                (device.empty() ? std::string("columns") : "device '" + device + "' columns") +
                    " missing:" + missing +
                    (magnetometer ? " (the recording has no magnetometer; sessions need all "
                                    "nine channels)"
                                  : ""),
                "the contract needs all nine channels ax ay az gx gy gz mx my mz; add the "
                "columns, rename them (acc_x, gyro_x, mag_x are understood) or map them with "
                "--map ax=COLUMN,...");
  }
}

nlohmann::json importMetadata(const std::filesystem::path& path,
                              const std::vector<Finding>& report) {
  nlohmann::json conversions = nlohmann::json::array();
  for (const auto& finding : report)
    if (finding.code.rfind("unit_", 0) == 0) conversions.push_back(toJson(finding));
  return {{"imported_from", session_text::validUtf8(path.filename().string())},
          {"importer", "csv"},
          {"unit_decisions", conversions}};
}

// Without a time column the rate must come from --rate.
double rateFromOptions(const std::string& source, const ImportOptions& options,
                       std::vector<Finding>& report) {
  if (!options.sampleRateHz)
    throw Error(source, "has no time column, so the sample rate is unknown",
                "pass --rate HZ, or add a time column (time_s/time_ms/time_ns), or map one with "
                "--map time=COLUMN");
  Finding finding;
  finding.code = "time_from_rate";
  finding.message =
      "no time column; uniform " + formatSignificant(*options.sampleRateHz, 4) + " Hz from --rate";
  report.push_back(finding);
  return *options.sampleRateHz;
}

void addInlineLabels(const CsvTable& table, Session& session, std::vector<Finding>& report) {
  if (table.layout.labelColumn < 0) return;
  LabelTrack track = table.labels.toTrack(session.time_s, session.sampleRateHz, table.rows);
  Finding note;
  note.code = "labels_inline";
  note.subject = table.headers[static_cast<std::size_t>(table.layout.labelColumn)];
  note.message = std::to_string(track.labels.size()) + " label intervals (runs of equal labels), " +
                 std::to_string(track.classes.size()) + " classes from column '" + note.subject +
                 "'";
  report.push_back(note);
  session.classes = std::move(track.classes);
  session.labels = std::move(track.labels);
}

}  // namespace

ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options,
                       const JobControl& control) {
  const std::string source = path.string();
  CsvTable table = readCsvTable(path, options, control);
  requireAllChannels(table, source + ":" + std::to_string(table.headerLine));
  ImportResult result;
  result.report = std::move(table.report);
  Session& session = result.session;
  session.sourcePath = path;
  double rate = 0;
  if (table.hasTime) {
    const auto& timeHeader = table.headers[static_cast<std::size_t>(table.layout.timeColumn)];
    TimeAxis axis =
        buildTimeAxis(std::move(table.time), table.lines, source, timeHeader, options.sampleRateHz);
    rate = axis.rateHz;
    session.time_s = std::move(axis.time_s);
    session.startTime = axis.startTime;
    for (auto& finding : axis.report) result.report.push_back(std::move(finding));
  } else {
    rate = rateFromOptions(source, options, result.report);
  }
  if (!(rate > 0) || !std::isfinite(rate))
    throw Error(source, "sample rate " + formatSignificant(rate, 4) + " Hz is not positive",
                "pass --rate HZ");
  session.sampleRateHz = rate;
  for (std::size_t d = 0; d < table.layout.devices.size(); ++d) {
    const UnitOverrides declared = declaredUnits(table.layout, table.layout.devices[d], source);
    Device device;
    device.name = table.layout.devices[d].empty()
                      ? (options.deviceName.empty() ? std::string("imu") : options.deviceName)
                      : table.layout.devices[d];
    device.samples = std::move(table.samples[d]);
    auto reports = normalizeUnits(device.samples, rate, source, options.units, declared,
                                  UnitDeclaration::Header);
    // One unit decision covers the whole file; a logger that switched units half way shows as
    // a jump in the magnitude of gravity.
    if (auto change = detectUnitChange(device.samples, rate)) {
      change->message = withFileLines(change->message, table.lines);
      reports.push_back(*change);
    }
    for (auto& report : reports) {
      report.device = device.name;
      result.report.push_back(report);
    }
    session.devices.push_back(std::move(device));
  }
  addInlineLabels(table, session, result.report);
  session.metadata = importMetadata(path, result.report);
  result.rowLines = table.lines;
  control.report(1.0, "imported");
  return result;
}

}  // namespace imuwb
