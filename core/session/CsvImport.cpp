#include "session/CsvImport.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

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

// Each device's units, decided on the bounded sample of rows: the reports (with an implausible
// field and a missing magnetometer), and the decisions the second pass converts with.
std::vector<UnitDecision> decideDeviceUnits(const CsvTable& table, std::size_t d,
                                            const Device& device, const std::string& source,
                                            const ImportOptions& options,
                                            std::vector<Finding>& reports) {
  const UnitOverrides declared = declaredUnits(table.layout, table.layout.devices[d], source);
  std::vector<float> sample =
      device.hasMagnetometer() ? table.sample.rows(d) : sixAxisRows(table.sample.rows(d));
  const std::size_t n = sample.size() / static_cast<std::size_t>(device.channels);
  auto decisions = decideUnits(sample.data(), n, source, options.units, declared,
                               UnitDeclaration::Header, device.channels);
  applyUnitScales(sample.data(), n, device.channels, decisions);
  for (const auto& decision : decisions) reports.push_back(decision.report);
  if (device.hasMagnetometer())
    if (auto implausible = implausibleMagneticField(sample.data(), n))
      reports.push_back(*implausible);
  if (!device.hasMagnetometer()) reports.push_back(noMagnetometerNote(device.name));
  return decisions;
}

// Session times of the rows inline labels need, caught as the blocks go by.
class LabelTimes {
 public:
  LabelTimes(const InlineLabelRuns& runs, std::size_t rows) : wanted_(runs.rowsTimed(rows)) {}
  void add(const RowBlock& block, double rate) {
    const std::size_t end = block.first + block.count;
    while (next_ < wanted_.size() && wanted_[next_] < end) {
      const std::size_t row = wanted_[next_++];
      times_[row] =
          block.time_s ? block.time_s[row - block.first] : static_cast<double>(row) / rate;
    }
  }
  double at(std::size_t row) const { return times_.at(row); }

 private:
  std::vector<std::size_t> wanted_;
  std::size_t next_ = 0;
  std::map<std::size_t, double> times_;
};

void addInlineLabels(const CsvTable& table, const LabelTimes& times, Session& session,
                     std::vector<Finding>& report) {
  if (table.layout.labelColumn < 0) return;
  LabelTrack track = table.labels.toTrack([&](std::size_t row) { return times.at(row); },
                                          session.sampleRateHz, table.rows);
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

// The session's clock: a time axis from the time column, or --rate.
std::optional<TimeAxis> decideTime(const CsvTable& table, const std::string& source,
                                   const ImportOptions& options, Session& session,
                                   std::vector<Finding>& report) {
  std::optional<TimeAxis> axis;
  double rate = 0;
  if (table.hasTime) {
    const auto& timeHeader = table.headers[static_cast<std::size_t>(table.layout.timeColumn)];
    axis = buildTimeAxis(table.time, table.lines, source, timeHeader, options.sampleRateHz);
    rate = axis->rateHz;
    session.startTime = axis->startTime;
    for (const auto& finding : axis->report) report.push_back(finding);
  } else {
    rate = rateFromOptions(source, options, report);
  }
  if (!(rate > 0) || !std::isfinite(rate))
    throw Error(source, "sample rate " + formatSignificant(rate, 4) + " Hz is not positive",
                "pass --rate HZ");
  session.sampleRateHz = rate;
  return axis;
}

// An in-memory sink: the rows appended to the session's devices and time.
class SessionSink : public CsvImportSink {
 public:
  explicit SessionSink(Session& session) : session_(session) {}
  void begin(const Session& layout, bool, std::size_t) override { session_ = layout; }
  void rows(const RowBlock& block) override {
    if (block.time_s)
      session_.time_s.insert(session_.time_s.end(), block.time_s, block.time_s + block.count);
    for (std::size_t d = 0; d < block.rows.size(); ++d) {
      auto& samples = session_.devices[d].samples;
      const std::size_t values =
          block.count * static_cast<std::size_t>(session_.devices[d].channels);
      samples.insert(samples.end(), block.rows[d], block.rows[d] + values);
    }
  }

 private:
  Session& session_;
};

}  // namespace

CsvImportSummary streamCsv(const std::filesystem::path& path, const ImportOptions& options,
                           CsvImportSink& sink, const JobControl& control) {
  const std::string source = path.string();
  const CsvTable table = readCsvTable(path, options, control);
  RowPassPlan plan;
  for (std::size_t d = 0; d < table.layout.devices.size(); ++d)
    plan.channels.push_back(
        deviceChannelCount(table, d, source + ":" + std::to_string(table.headerLine)));
  CsvImportSummary summary;
  summary.report = table.report;
  Session& session = summary.session;
  session.sourcePath = path;
  const std::optional<TimeAxis> axis = decideTime(table, source, options, session, summary.report);
  plan.axis = axis ? &*axis : nullptr;
  std::vector<std::vector<Finding>> deviceReports;
  for (std::size_t d = 0; d < table.layout.devices.size(); ++d) {
    Device device;
    device.name = table.layout.devices[d].empty()
                      ? (options.deviceName.empty() ? std::string("imu") : options.deviceName)
                      : table.layout.devices[d];
    device.channels = plan.channels[d];
    deviceReports.emplace_back();
    plan.decisions.push_back(
        decideDeviceUnits(table, d, device, source, options, deviceReports.back()));
    for (auto& report : deviceReports.back()) report.device = device.name;  // the metadata's too
    session.devices.push_back(std::move(device));
  }
  std::vector<Finding> decided = summary.report;
  for (const auto& reports : deviceReports)
    decided.insert(decided.end(), reports.begin(), reports.end());
  session.metadata = importMetadata(path, decided);
  sink.begin(session, table.hasTime, table.rows);
  // One unit decision covers the whole file; a logger that switched units half way shows as
  // a jump in the magnitude of gravity.
  std::vector<UnitChangeDetector> changes;
  for (int channels : plan.channels) changes.emplace_back(session.sampleRateHz, channels);
  LabelTimes labelTimes(table.labels, table.rows);
  readCsvRows(
      path, table, plan,
      [&](const RowBlock& block) {
        for (std::size_t d = 0; d < changes.size(); ++d) changes[d].add(block.rows[d], block.count);
        labelTimes.add(block, session.sampleRateHz);
        if (block.first == 0) summary.firstTime_s = block.time_s ? block.time_s[0] : 0.0;
        const std::size_t last = block.first + block.count - 1;
        summary.lastTime_s = block.time_s ? block.time_s[block.count - 1]
                                          : static_cast<double>(last) / session.sampleRateHz;
        sink.rows(block);
      },
      control);
  for (std::size_t d = 0; d < session.devices.size(); ++d) {
    if (auto change = changes[d].finish()) {
      change->message = withFileLines(change->message, table.lines);
      deviceReports[d].push_back(*change);
    }
    for (auto& report : deviceReports[d]) {
      report.device = session.devices[d].name;
      summary.report.push_back(report);
    }
  }
  addInlineLabels(table, labelTimes, session, summary.report);
  summary.rows = table.rows;
  summary.rowLines = table.lines;
  control.report(1.0, "imported");
  return summary;
}

ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options,
                       const JobControl& control) {
  ImportResult result;
  SessionSink sink(result.session);
  CsvImportSummary summary = streamCsv(path, options, sink, control);
  result.session.classes = std::move(summary.session.classes);
  result.session.labels = std::move(summary.session.labels);
  result.report = std::move(summary.report);
  result.rowLines = std::move(summary.rowLines);
  return result;
}

}  // namespace imuwb
