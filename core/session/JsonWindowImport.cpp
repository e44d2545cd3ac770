#include "session/JsonWindowImport.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

ImportResult importJsonWindow(const std::filesystem::path& path, const ImportOptions& options,
                              const JobControl& control) {
  const std::string source = path.string();
  // Regular files only, size- and depth-limited: a FIFO, /dev/zero or a nesting bomb is refused
  // with the file named, never read forever or recursed into.
  const nlohmann::json document = loadJsonFile(path, "sidecar JSON");
  const char* key = nullptr;
  if (document.is_object()) {
    if (document.contains("x"))
      key = "x";
    else if (document.contains("imu_window"))
      key = "imu_window";
  }
  if (!key)
    throw Error(source, "has no \"x\" array",
                "a sidecar request body is {\"x\": [[ax,ay,az,gx,gy,gz,mx,my,mz], ...]}");
  const nlohmann::json& rows = document[key];
  const std::string pointer = std::string("/") + key;  // JSON pointer (RFC 6901) into the body
  if (!rows.is_array() || rows.empty())
    throw Error(source + ": " + pointer, "is not a non-empty array of rows",
                "give [[9 numbers] x N]");
  const auto maxRows = limits::value(limits::kSessionRows);
  if (rows.size() > maxRows)
    throw Error(source + ": " + pointer,
                "has " + std::to_string(rows.size()) + " rows, over the session_rows limit",
                "split the body, or raise the limit with IMUWB_LIMIT_SESSION_ROWS=N");
  Device device;
  device.name = options.deviceName.empty() ? "window" : options.deviceName;
  device.samples.reserve(rows.size() * kChannelCount);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const std::string where = source + ": " + pointer + "/" + std::to_string(r);
    if (!row.is_array() || row.size() != static_cast<std::size_t>(kChannelCount))
      throw Error(where,
                  "has " + (row.is_array() ? std::to_string(row.size()) : std::string("no")) +
                      " values, expected 9",
                  "each row is ax ay az gx gy gz mx my mz");
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (!row[c].is_number())
        throw Error(where + "/" + std::to_string(c),
                    std::string("is ") + row[c].type_name() + ", not a number",
                    "JSON has no NaN; replace nulls/strings with numbers");
      device.samples.push_back(row[c].get<float>());
    }
  }
  ImportResult result;
  Session& session = result.session;
  session.sourcePath = path;
  session.sampleRateHz = options.sampleRateHz.value_or(kContractSampleRateHz);
  Finding rateNote;
  rateNote.code = "time_from_rate";
  rateNote.message = std::to_string(rows.size()) + " rows at " +
                     nlohmann::json(session.sampleRateHz).dump() +
                     (options.sampleRateHz ? " Hz from --rate" : " Hz (the contract's rate)");
  result.report.push_back(rateNote);
  auto reports = normalizeUnits(device.samples, session.sampleRateHz, source, options.units, {},
                                UnitDeclaration::Contract);
  nlohmann::json conversions = nlohmann::json::array();
  for (auto& report : reports) {
    report.device = device.name;
    conversions.push_back(toJson(report));
    result.report.push_back(report);
  }
  session.devices.push_back(std::move(device));
  session.metadata = {{"imported_from", session_text::validUtf8(path.filename().string())},
                      {"importer", "sidecar-json"},
                      {"unit_decisions", conversions}};
  control.report(1.0, "imported");
  return result;
}

}  // namespace imuwb
