#include "pipeline/Windower.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/Error.hpp"

namespace imuwb {
namespace {

std::string timesText(const std::vector<double>& times, std::size_t total) {
  std::string text;
  for (std::size_t i = 0; i < times.size(); ++i) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%.2f s", i ? ", " : "", times[i]);
    text += buffer;
  }
  if (total > times.size()) text += ", ...";
  return text;
}

}  // namespace

std::string SkipReport::summary() const {
  if (skipped() == 0) return "no windows skipped";
  std::string text =
      std::to_string(skipped()) + " of " + std::to_string(candidates) + " windows skipped";
  if (gapWindows)
    text += "; " + std::to_string(gapWindows) + " straddle time gaps (starting at " +
            timesText(firstGapTimes_s, gapWindows) + ")";
  if (nanWindows)
    text += "; " + std::to_string(nanWindows) + " hold NaN/Inf samples (starting at " +
            timesText(firstNanTimes_s, nanWindows) + ")";
  return text;
}

std::vector<int> labelRows(const SampleSource& source, const double* time_s, std::size_t count) {
  std::vector<int> labels(count, -1);
  const auto& intervals = source.labels();
  if (intervals.empty()) return labels;
  std::map<std::string, int> classIndex;
  for (std::size_t i = 0; i < source.classes().size(); ++i)
    classIndex[source.classes()[i]] = static_cast<int>(i);
  // Sorted by start; intervals are assumed not to overlap (the session validator checks it).
  std::vector<const LabelInterval*> sorted;
  for (const auto& interval : intervals) sorted.push_back(&interval);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return a->start_s < b->start_s; });
  for (std::size_t row = 0; row < count; ++row) {
    const double t = time_s[row];
    auto after =
        std::upper_bound(sorted.begin(), sorted.end(), t,
                         [](double value, auto* interval) { return value < interval->start_s; });
    if (after == sorted.begin()) continue;
    const auto* interval = *(after - 1);
    if (t < interval->end_s) {
      auto found = classIndex.find(interval->label);
      labels[row] = found == classIndex.end() ? -1 : found->second;
    }
  }
  return labels;
}

Windower::Windower(const SampleSource& source, WindowerOptions options)
    : source_(source), options_(std::move(options)) {
  const std::string where = source.describe();
  if (options_.windowLength < 2)
    throw Error(where, "window length " + std::to_string(options_.windowLength) + " is too short");
  if (options_.stride < 1)
    throw Error("--stride " + std::to_string(options_.stride),
                "the stride must be at least 1 sample", "use the training stride (50)");
  if (source.deviceNames().empty()) throw Error(where, "the session has no devices");
  if (options_.devices.empty()) options_.devices = {source.deviceNames().front()};
  for (const auto& name : options_.devices) {
    const int index = source.deviceIndex(name);
    if (index < 0) {
      std::string known;
      for (const auto& device : source.deviceNames()) known += (known.empty() ? "" : ", ") + device;
      throw Error(where, "the model needs device '" + name + "' but the session has " + known,
                  "map the model's devices with --devices (e.g. --devices collar,harness)");
    }
    deviceIndices_.push_back(index);
  }
  const std::size_t end =
      options_.endRow ? std::min(options_.endRow, source.rowCount()) : source.rowCount();
  const std::size_t length = static_cast<std::size_t>(options_.windowLength);
  if (end >= options_.firstRow + length)
    candidates_ = (end - options_.firstRow - length) / options_.stride + 1;
  if (options_.maxWindows) candidates_ = std::min(candidates_, options_.maxWindows);
  report_.candidates = candidates_;
  if (options_.blockWindows == 0) options_.blockWindows = 1;
  requireChannels();
}

void Windower::requireChannels() const {
  if (options_.channels != kChannelCount && options_.channels != kSixAxisChannelCount)
    throw Error(source_.describe(),
                "a window cannot take " + std::to_string(options_.channels) + " channels",
                "models take 9 channels (ax..mz) or 6 (ax..gz)");
  for (int index : deviceIndices_) {
    if (source_.channelCount(static_cast<std::size_t>(index)) >= options_.channels) continue;
    throw Error(source_.describe() + " device '" + source_.deviceNames()[index] + "'",
                "has no magnetometer (mx my mz), which the model's input needs",
                "use a model that takes 6 input channels (ax ay az gx gy gz), or a recording "
                "with a magnetometer");
  }
}

// Reads rowCount rows of every used device, each at its own width, into rows_.
void Windower::readBlockRows(std::size_t firstRow, std::size_t rowCount) {
  deviceOffsets_.assign(deviceIndices_.size() + 1, 0);
  for (std::size_t d = 0; d < deviceIndices_.size(); ++d)
    deviceOffsets_[d + 1] =
        deviceOffsets_[d] +
        rowCount * static_cast<std::size_t>(source_.channelCount(deviceIndices_[d]));
  rows_.resize(deviceOffsets_.back());
  for (std::size_t d = 0; d < deviceIndices_.size(); ++d)
    source_.readRows(deviceIndices_[d], firstRow, rowCount, rows_.data() + deviceOffsets_[d]);
}

double Windower::progress() const {
  return candidates_ == 0 ? 1.0 : static_cast<double>(nextCandidate_) / candidates_;
}

void Windower::labelBlockRows(std::size_t rowCount) {
  if (options_.labelRule == LabelRule::Majority || !source_.labels().empty())
    rowLabels_ = labelRows(source_, time_.data(), rowCount);
  else
    rowLabels_.assign(rowCount, -1);
  labelChangePrefix_.assign(rowCount, 0);
  for (std::size_t r = 0; r + 1 < rowCount; ++r)
    labelChangePrefix_[r + 1] = labelChangePrefix_[r] + (rowLabels_[r + 1] != rowLabels_[r]);
}

bool Windower::next(WindowBlock& block) {
  block.windows.clear();
  block.raw.clear();
  block.deviceCount = static_cast<int>(deviceIndices_.size());
  block.windowLength = options_.windowLength;
  block.channelCount = options_.channels;
  if (nextCandidate_ >= candidates_) return false;

  const std::size_t length = options_.windowLength;
  const std::size_t stride = options_.stride;
  const std::size_t count = std::min(options_.blockWindows, candidates_ - nextCandidate_);
  const std::size_t firstRow = options_.firstRow + nextCandidate_ * stride;
  const std::size_t rowCount = (count - 1) * stride + length;
  const std::size_t devices = deviceIndices_.size();

  readBlockRows(firstRow, rowCount);
  const std::size_t channels = static_cast<std::size_t>(options_.channels);
  std::vector<std::size_t> widths(devices);
  for (std::size_t d = 0; d < devices; ++d)
    widths[d] = static_cast<std::size_t>(source_.channelCount(deviceIndices_[d]));
  time_.resize(rowCount);
  source_.readTime(firstRow, rowCount, time_.data());

  // Prefix sums of bad rows (any non-finite value in a channel the window takes) and bad steps
  // (time gaps), so each window is checked in O(1).
  badRowPrefix_.assign(rowCount + 1, 0);
  for (std::size_t r = 0; r < rowCount; ++r) {
    bool bad = false;
    for (std::size_t d = 0; d < devices && !bad; ++d) {
      const float* row = rows_.data() + deviceOffsets_[d] + r * widths[d];
      for (std::size_t c = 0; c < channels; ++c) bad |= !std::isfinite(row[c]);
    }
    badRowPrefix_[r + 1] = badRowPrefix_[r] + (bad ? 1 : 0);
  }
  const double maxStep = options_.gapFactor / source_.sampleRateHz();
  badStepPrefix_.assign(rowCount, 0);  // badStepPrefix_[i] = bad steps among (0..i-1 -> next)
  for (std::size_t r = 0; r + 1 < rowCount; ++r) {
    const double step = time_[r + 1] - time_[r];
    const bool bad = !(step > 0) || step > maxStep || !std::isfinite(step);
    badStepPrefix_[r + 1] = badStepPrefix_[r] + (bad ? 1 : 0);
  }
  labelBlockRows(rowCount);

  const std::size_t perWindow = devices * length * channels;
  block.raw.reserve(count * perWindow);
  std::map<int, int> tally;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t local = k * stride;
    const double start_s = time_[local];
    if (badStepPrefix_[local + length - 1] - badStepPrefix_[local] > 0) {
      ++report_.gapWindows;
      if (report_.firstGapTimes_s.size() < options_.reportFirst)
        report_.firstGapTimes_s.push_back(start_s);
      continue;
    }
    if (badRowPrefix_[local + length] - badRowPrefix_[local] > 0) {
      ++report_.nanWindows;
      if (report_.firstNanTimes_s.size() < options_.reportFirst)
        report_.firstNanTimes_s.push_back(start_s);
      continue;
    }
    WindowInfo info;
    info.startRow = firstRow + local;
    info.startTime_s = start_s;
    info.endTime_s = time_[local + length - 1] + 1.0 / source_.sampleRateHz();
    info.mixedLabels = labelChangePrefix_[local + length - 1] != labelChangePrefix_[local];
    const int centre = rowLabels_[local + length / 2];
    if (options_.labelRule == LabelRule::CentreSample) {
      info.label = centre;
    } else {
      tally.clear();
      for (std::size_t r = local; r < local + length; ++r) ++tally[rowLabels_[r]];
      int best = -2, bestCount = -1;
      for (const auto& [label, n] : tally)  // ascending label: the lowest index wins ties
        if (n > bestCount) best = label, bestCount = n;
      if (tally[centre] == bestCount) best = centre;
      info.label = best;
    }
    block.windows.push_back(info);
    for (std::size_t d = 0; d < devices; ++d)
      for (std::size_t r = local; r < local + length; ++r) {
        const float* from = rows_.data() + deviceOffsets_[d] + r * widths[d];
        block.raw.insert(block.raw.end(), from, from + channels);
      }
  }
  report_.accepted += block.windows.size();
  nextCandidate_ += count;
  return true;
}

}  // namespace imuwb
