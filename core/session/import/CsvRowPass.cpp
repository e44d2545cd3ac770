#include "session/import/CsvRowPass.hpp"

#include <cmath>

#include "common/Error.hpp"
#include "session/import/CsvLines.hpp"

namespace imuwb {

namespace {

// Per device: which field feeds each stored channel, and the float factor to contract units
// (x 1 leaves a value as it was, as the in-place conversion does).
struct DeviceColumns {
  std::vector<int> column;
  std::vector<float> scale;
};

std::vector<DeviceColumns> deviceColumns(const CsvTable& table, const RowPassPlan& plan) {
  std::vector<DeviceColumns> devices(table.columnOf.size());
  for (std::size_t d = 0; d < devices.size(); ++d) {
    const auto channels = static_cast<std::size_t>(plan.channels[d]);
    devices[d].column.assign(table.columnOf[d].begin(), table.columnOf[d].begin() + channels);
    devices[d].scale.assign(channels, 1.0f);
    for (const auto& decision : plan.decisions[d]) {
      const std::size_t offset = decision.group == SensorGroup::Accelerometer ? 0
                                 : decision.group == SensorGroup::Gyroscope   ? 3
                                                                              : 6;
      for (std::size_t c = 0; c < 3; ++c)
        devices[d].scale[offset + c] = static_cast<float>(decision.scale);
    }
  }
  return devices;
}

[[noreturn]] void fileChanged(const std::string& at) {
  throw Error(at, "differs from what the first reading of the file saw",
              "the file changed while it was imported; import it again once it is complete");
}

}  // namespace

void readCsvRows(const std::filesystem::path& path, const CsvTable& table, const RowPassPlan& plan,
                 const std::function<void(const RowBlock&)>& sink, const JobControl& control) {
  const auto devices = deviceColumns(table, plan);
  const auto fileSize = std::filesystem::file_size(path);
  csv::Lines lines(path);
  std::vector<std::vector<float>> rows(devices.size());
  for (std::size_t d = 0; d < devices.size(); ++d)
    rows[d].resize(plan.blockRows * devices[d].column.size());
  std::vector<double> time(plan.blockRows);
  std::optional<TimeSpool::Reader> times;
  if (plan.axis) times.emplace(plan.axis->times);
  RowBlock block;
  for (const auto& device : rows) block.rows.push_back(device.data());
  block.time_s = plan.axis ? time.data() : nullptr;
  auto flush = [&] {
    if (block.count == 0) return;
    sink(block);
    block.first += block.count;
    block.count = 0;
    control.throwIfCancelled();
    if (fileSize > 0)
      control.report(kScanShare + (0.95 - kScanShare) * static_cast<double>(lines.bytesRead()) /
                                      static_cast<double>(fileSize),
                     "importing rows");
  };
  std::string line;
  std::vector<std::string_view> fields;
  std::size_t row = 0;
  while (row < table.rows && lines.nextData(line, table.dataLine)) {
    csv::splitFields(line, table.dialect, fields);
    if (fields.size() < table.headers.size()) fileChanged(lines.at());
    for (std::size_t d = 0; d < devices.size(); ++d) {
      const auto& device = devices[d];
      float* out = rows[d].data() + block.count * device.column.size();
      for (std::size_t c = 0; c < device.column.size(); ++c) {
        double value = 0;
        if (!csv::parseDialectNumber(fields[static_cast<std::size_t>(device.column[c])],
                                     table.dialect, value))
          fileChanged(lines.at());
        out[c] = static_cast<float>(value) * device.scale[c];
      }
    }
    if (times) {
      double value = 0;
      if (!times->next(value)) fileChanged(lines.at());
      time[block.count] = value - plan.axis->shift;
    }
    ++row;
    if (++block.count == plan.blockRows) flush();
  }
  if (row != table.rows) fileChanged(path.string());
  flush();
}

}  // namespace imuwb
