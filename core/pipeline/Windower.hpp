#pragma once
// Cuts a session into model windows as the deployment pipeline does: length 100 at 100 Hz,
// stride 50 by default, one or more devices stacked on the H axis, each window labelled by its
// centre sample (or by majority). Streams block by block: a 24 h recording never has all its
// windows in memory. Windows that straddle a time gap or hold a NaN/Inf are skipped and counted.
#include <cstddef>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "pipeline/SampleSource.hpp"

namespace imuwb {

enum class LabelRule {
  CentreSample,  // the label at row start + length/2 (training's rule)
  Majority,      // the most frequent per-row label; ties go to the centre sample's label if it
                 // is among them, else to the lowest class index; unlabelled rows count as -1
};

struct WindowerOptions {
  int windowLength = kContractWindowLength;
  int stride = 50;
  LabelRule labelRule = LabelRule::CentreSample;
  // Session device for each H index (1 entry for single-device layouts). Empty = first device.
  std::vector<std::string> devices;
  // Channels per device in a window: the first `channels` of ax ay az gx gy gz mx my mz. 9 needs
  // a magnetometer on every device used; 6 takes ax..gz from any device.
  int channels = kChannelCount;
  std::size_t firstRow = 0;        // window starts are firstRow + k * stride
  std::size_t endRow = 0;          // exclusive; 0 = the whole session
  std::size_t maxWindows = 0;      // stop after this many candidate windows (0 = all)
  std::size_t blockWindows = 256;  // candidate windows per block read
  // A step between consecutive timestamps counts as a gap when it is not > 0 or exceeds
  // gapFactor / sample_rate_hz.
  double gapFactor = 1.5;
  std::size_t reportFirst = 5;  // how many skipped window times to keep per reason
};

struct WindowInfo {
  std::size_t startRow = 0;
  double startTime_s = 0;
  int label = -1;        // index into the source's classes, -1 = unlabelled
  double endTime_s = 0;  // time of the last sample plus one sample period (exclusive end)
  // Its rows carry more than one label: it straddles a label boundary, or labelled and
  // unlabelled time (the label above is still the rule's; evaluate counts these apart).
  bool mixedLabels = false;
};

// A block of accepted windows. raw is [windows, devices, windowLength, channelCount] in
// contract channel order and units, not normalized.
struct WindowBlock {
  std::vector<WindowInfo> windows;
  std::vector<float> raw;
  int deviceCount = 1;
  int windowLength = kContractWindowLength;
  int channelCount = kChannelCount;
  std::size_t size() const { return windows.size(); }
  std::size_t valuesPerWindow() const {
    return static_cast<std::size_t>(deviceCount) * windowLength * channelCount;
  }
  const float* window(std::size_t i) const { return raw.data() + i * valuesPerWindow(); }
};

struct SkipReport {
  std::size_t candidates = 0;  // windows considered
  std::size_t accepted = 0;
  std::size_t gapWindows = 0;           // straddle a time gap (checked first)
  std::size_t nanWindows = 0;           // hold a non-finite sample in any used device
  std::vector<double> firstGapTimes_s;  // start times of the first few skipped for gaps
  std::vector<double> firstNanTimes_s;
  std::size_t skipped() const { return gapWindows + nanWindows; }
  std::string summary() const;  // "12 windows skipped: 3 straddle gaps (first at 10.0 s...)..."
};

class Windower {
 public:
  // Resolves device names and checks options; throws imuwb::Error (unknown device listing the
  // session's devices, stride < 1, window longer than the session...).
  Windower(const SampleSource& source, WindowerOptions options);

  std::size_t candidateCount() const { return candidates_; }
  const std::vector<int>& deviceIndices() const { return deviceIndices_; }
  // Fills block with the next accepted windows (at most blockWindows candidates are looked at
  // per call, so a block can be empty while more remain). Returns false when done.
  bool next(WindowBlock& block);
  double progress() const;  // fraction of candidates looked at
  const SkipReport& skipped() const { return report_; }

 private:
  const SampleSource& source_;
  WindowerOptions options_;
  std::vector<int> deviceIndices_;
  std::size_t candidates_ = 0;
  std::size_t nextCandidate_ = 0;
  SkipReport report_;
  void requireChannels() const;  // every used device has the channels a window takes
  void readBlockRows(std::size_t firstRow, std::size_t rowCount);

  std::vector<float> rows_;                 // [devices][rows][channels of that device]
  std::vector<std::size_t> deviceOffsets_;  // where each device starts in rows_
  std::vector<double> time_;
  std::vector<int> rowLabels_;
  std::vector<std::size_t> labelChangePrefix_;  // [i]: label changes between rows 0..i
  void labelBlockRows(std::size_t rowCount);    // fills rowLabels_ and labelChangePrefix_
  std::vector<std::size_t> badRowPrefix_;
  std::vector<std::size_t> badStepPrefix_;
};

// The label of each row in [firstRow, firstRow + count) from the source's intervals.
std::vector<int> labelRows(const SampleSource& source, const double* time_s, std::size_t count);

}  // namespace imuwb
