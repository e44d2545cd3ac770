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

// Each device needs ax ay az gx gy gz. The magnetometer is all or nothing: without mx my mz the
// device is a 6-axis device (no zeros, no NaN channels); with only some of them the mapping is
// wrong, and guessing would feed a model a broken field. Returns the device's channel count.
int deviceChannelCount(const CsvTable& table, std::size_t d, const std::string& headerWhere) {
  std::string missingCore, missingMag;
  for (int c = 0; c < kChannelCount; ++c)
    if (table.columnOf[d][static_cast<std::size_t>(c)] < 0)
      (c < kSixAxisChannelCount ? missingCore : missingMag) +=
          " " + std::string(kChannelNames[static_cast<std::size_t>(c)]);
  const std::string& device = table.layout.devices[d];
  const std::string subject =
      device.empty() ? std::string("columns") : "device '" + device + "' columns";
  if (!missingCore.empty())
    throw Error(headerWhere, subject + " missing:" + missingCore,
                "every device needs ax ay az gx gy gz (mx my mz when it has a magnetometer); add "
                "the columns, rename them (acc_x, gyro_x, mag_x are understood) or map them with "
                "--map ax=COLUMN,...");
  if (missingMag.empty()) return kChannelCount;
  if (missingMag != " mx my mz")
    throw Error(headerWhere, subject + " missing:" + missingMag + " (a partial magnetometer)",
                "map all of mx my mz with --map mx=COLUMN,..., or leave the magnetometer out "
                "with --ignore COLUMN for the ones present");
  return kSixAxisChannelCount;
}

// [rows, 9] with NaN magnetometer columns -> [rows, 6].
std::vector<float> sixAxisRows(const std::vector<float>& nine) {
  const std::size_t rows = nine.size() / kChannelCount;
  std::vector<float> six(rows * kSixAxisChannelCount);
  for (std::size_t r = 0; r < rows; ++r)
    std::copy_n(nine.data() + r * kChannelCount, kSixAxisChannelCount,
                six.data() + r * kSixAxisChannelCount);
  return six;
}

Finding noMagnetometerNote(const std::string& device) {
  Finding finding;
  finding.code = "no_magnetometer";
  finding.device = device;
  finding.subject = "mag";
  finding.message = "no magnetometer columns: a 6-axis device (ax ay az gx gy gz)";
  finding.fix = "runs models that take 6 input channels; 9-channel models need mx my mz";
  return finding;
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
  std::vector<int> channels;
  for (std::size_t d = 0; d < table.layout.devices.size(); ++d)
    channels.push_back(
        deviceChannelCount(table, d, source + ":" + std::to_string(table.headerLine)));
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
    device.channels = channels[d];
    device.samples =
        device.hasMagnetometer() ? std::move(table.samples[d]) : sixAxisRows(table.samples[d]);
    auto reports = normalizeUnits(device.samples, rate, source, options.units, declared,
                                  UnitDeclaration::Header, device.channels);
    if (!device.hasMagnetometer()) reports.push_back(noMagnetometerNote(device.name));
    // One unit decision covers the whole file; a logger that switched units half way shows as
    // a jump in the magnitude of gravity.
    if (auto change = detectUnitChange(device.samples, rate, device.channels)) {
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
