#include "session/import/CsvRowPass.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <future>
#include <memory>
#include <thread>

#include "common/Error.hpp"
#include "session/import/DataLines.hpp"

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

// A chunk of the file's text and the rows parsed from it, handed to a worker thread and back
// (its buffers are used again: fresh pages fault on every chunk).
struct Parsed {
  std::string text;
  bool skipHeader = false;               // the file's first chunk: its first line is the header
  std::vector<std::vector<float>> rows;  // per device [count, channels], contract units
  std::size_t count = 0;
  std::size_t badRow = std::string::npos;  // a row the first pass did not see this way
};

void parseChunk(Parsed& parsed, const CsvTable& table, const std::vector<DeviceColumns>& devices) {
  parsed.count = 0;
  parsed.badRow = std::string::npos;
  parsed.rows.resize(devices.size());
  for (auto& rows : parsed.rows) rows.clear();
  csv::DataLineCursor cursor(parsed.text);
  std::vector<std::string_view> fields;
  std::string_view line;
  bool header = parsed.skipHeader;
  while (cursor.next(line)) {
    if (header) {
      header = false;
      continue;
    }
    csv::splitFields(line, table.dialect, fields);
    if (fields.size() < table.headers.size()) {
      parsed.badRow = parsed.count;
      return;
    }
    for (std::size_t d = 0; d < devices.size(); ++d) {
      const auto& device = devices[d];
      auto& out = parsed.rows[d];
      for (std::size_t c = 0; c < device.column.size(); ++c) {
        double value = 0;
        if (!csv::parseDialectNumber(fields[static_cast<std::size_t>(device.column[c])],
                                     table.dialect, value)) {
          parsed.badRow = parsed.count;
          return;
        }
        out.push_back(static_cast<float>(value) * device.scale[c]);
      }
    }
    ++parsed.count;
  }
}

}  // namespace

// The reading thread only reads chunks of whole lines and hands each to a worker, which
// splits and parses it; chunks are delivered in order, timed from the axis, a few in flight.
void readCsvRows(const std::filesystem::path& path, const CsvTable& table, const RowPassPlan& plan,
                 const std::function<void(const RowBlock&)>& sink, const JobControl& control) {
  const auto devices = deviceColumns(table, plan);
  const std::string source = path.string();
  const auto fileSize = std::filesystem::file_size(path);
  // One chunk more than cores, so workers parse while this thread writes a block.
  const std::size_t inFlight = std::max(3u, std::min(6u, std::thread::hardware_concurrency() + 1));
  csv::TextChunks chunks(path, plan.chunkBytes);
  std::optional<TimeSpool::Reader> times;
  if (plan.axis) times.emplace(plan.axis->times);
  std::vector<double> time;
  std::deque<std::future<std::unique_ptr<Parsed>>> pending;
  std::vector<std::unique_ptr<Parsed>> spare;
  std::size_t delivered = 0;
  auto deliver = [&] {
    std::unique_ptr<Parsed> parsed = pending.front().get();
    pending.pop_front();
    if (parsed->badRow != std::string::npos || delivered + parsed->count > table.rows)
      fileChanged(
          source + ":" +
          std::to_string(table.lines.lineOf(delivered + std::min(parsed->badRow, parsed->count))));
    RowBlock block;
    block.first = delivered;
    block.count = parsed->count;
    for (const auto& rows : parsed->rows) block.rows.push_back(rows.data());
    if (times) {
      time.resize(std::max(time.size(), block.count));
      for (std::size_t i = 0; i < block.count; ++i) {
        if (!times->next(time[i])) fileChanged(source);
        time[i] -= plan.axis->shift;
      }
      block.time_s = time.data();
    }
    if (block.count > 0) sink(block);
    delivered += block.count;
    spare.push_back(std::move(parsed));
    control.throwIfCancelled();
    if (fileSize > 0)
      control.report(kScanShare + (0.95 - kScanShare) * static_cast<double>(chunks.bytesRead()) /
                                      static_cast<double>(fileSize),
                     "importing rows");
  };
  bool first = true;
  while (true) {
    std::unique_ptr<Parsed> parsed;
    if (spare.empty()) {
      parsed = std::make_unique<Parsed>();
    } else {
      parsed = std::move(spare.back());
      spare.pop_back();
    }
    if (!chunks.next(parsed->text)) break;
    parsed->skipHeader = first && !table.commentedHeader;
    first = false;
    pending.push_back(std::async(std::launch::async, [&, parsed = std::move(parsed)]() mutable {
      parseChunk(*parsed, table, devices);
      return std::move(parsed);
    }));
    if (pending.size() >= inFlight) deliver();
  }
  while (!pending.empty()) deliver();
  if (delivered != table.rows) fileChanged(source);
}

}  // namespace imuwb
