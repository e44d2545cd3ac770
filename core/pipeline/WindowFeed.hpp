#pragma once
// The one source of "windows for a model" (Polygraphy's data loader): sessions in, ready
// batches out. Every job (run, parity, drift, calibration export, check) and the GUI's playback
// cut windows through it, so a contract rule written here holds everywhere:
//   - the session's sample rate must be the model's;
//   - the devices on the model's H axis are chosen by one rule (chooseDevices);
//   - the layout must hold devices x window length samples of 9 channels;
//   - windows straddling gaps or holding NaN/Inf are skipped and reported.
// All checks run in the constructor, for every source, before any sample is read. A bare model
// (no manifest) is refused: without its preprocessing contract a session cannot be windowed.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/Windower.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

enum class FeedLayout {
  Model,          // the manifest's input layout: what a backend runs
  CanonicalNhwc,  // [N, H, W, 9]: Hailo's host layout and calibration sets
};

struct WindowFeedOptions {
  int stride = 50;
  LabelRule labelRule = LabelRule::CentreSample;
  // Session device per H index, as the user chose it (--devices). Empty = the model's.
  std::vector<std::string> devices;
  // When the model names devices the session lacks (and none were chosen): true = use the
  // session's first devices in file order and say so (GUI exploration), false = refuse.
  bool fallbackToSessionOrder = false;
  // One session device may feed several H indices (--share-device): only when asked, because
  // a repeated name is usually a typo. A shared device is reported once (device_shared).
  bool shareDevice = false;
  std::size_t firstRow = 0;    // row range of each source: [firstRow, endRow)
  std::size_t endRow = 0;      // 0 = to the end
  std::size_t maxWindows = 0;  // stop after this many accepted windows over all sources (0 = all)
  std::size_t batchWindows = 256;  // windows per batch (the default of next())
  FeedLayout layout = FeedLayout::Model;
  bool buildBatches = true;  // false: window times and labels only (a scan), no samples
};

// The session devices for each H index, and a note when they were not the model's own.
struct DeviceChoice {
  std::vector<std::string> devices;
  std::string note;    // empty unless a fallback was taken
  std::string shared;  // empty unless one device feeds several H indices (what and where)
};

// The single device rule. requested (non-empty) is used as given and must name session devices.
// Else the model's devices when the session has them all. Else (a single-device layout without
// a name, or fallbackToSessionOrder) the session's first devices in file order, with a note when
// the model named others. A device repeated in requested needs shareDevice. Throws imuwb::Error
// naming the session's devices, the model's device slots and a --devices value that fits when
// the count or names do not fit.
DeviceChoice chooseDevices(const Manifest& manifest, const SampleSource& source,
                           const std::vector<std::string>& requested,
                           bool fallbackToSessionOrder = false, bool shareDevice = false);

// The sample-rate rule: throws imuwb::Error naming the session, both rates and the fix.
void checkSampleRate(const Manifest& manifest, const std::filesystem::path& manifestPath,
                     const SampleSource& source);

// A batch of ready windows, all from one source.
struct FeedBatch {
  Batch batch;                      // empty values when buildBatches is false
  std::vector<WindowInfo> windows;  // per window: start row, start/end time, label
  std::size_t source = 0;           // index into the feed's sources
  double sourceOffset_s = 0;        // where this source starts on the joined timeline
  std::size_t size() const { return windows.size(); }
};

class WindowFeed {
 public:
  // The sources must outlive the feed. Throws imuwb::Error for any contract violation.
  WindowFeed(const ModelBundle& bundle, std::vector<const SampleSource*> sources,
             WindowFeedOptions options);
  WindowFeed(const ModelBundle& bundle, const SampleSource& source, WindowFeedOptions options);
  ~WindowFeed();

  // The next up to `limit` windows (0 = options.batchWindows). False when all sources are done.
  bool next(FeedBatch& out, std::size_t limit = 0);

  std::size_t sourceCount() const { return sources_.size(); }
  const SampleSource& source(std::size_t index) const { return *sources_.at(index); }
  const std::vector<std::string>& devices(std::size_t source = 0) const;
  const std::vector<std::string>& classes(std::size_t source = 0) const;
  std::size_t candidateCount() const;  // candidate windows over all sources
  std::size_t accepted() const { return accepted_; }
  double progress() const;  // 0..1 over all sources
  // Skips per source (filled as sources are read) and a joined summary.
  const SkipReport& skipped(std::size_t source = 0) const { return skips_.at(source); }
  SkipReport skippedTotal() const;
  // Device fallback notes and skipped-window reports as findings (warnings).
  std::vector<Finding> findings() const;
  std::string deviceNote() const;  // every fallback note, joined
  const BatchBuilder& builder() const { return builder_; }

 private:
  bool fillBlock();  // reads the next non-empty block; false when every source is done

  const ModelBundle& bundle_;
  std::vector<const SampleSource*> sources_;
  WindowFeedOptions options_;
  std::vector<DeviceChoice> choices_;
  std::vector<std::size_t> candidates_;
  std::vector<SkipReport> skips_;
  std::vector<double> offsets_s_;
  BatchBuilder builder_;
  std::unique_ptr<Windower> windower_;
  std::size_t current_ = 0;  // source being read
  WindowBlock block_;
  std::size_t used_ = 0;  // windows of block_ already handed out
  std::size_t accepted_ = 0;
  std::vector<float> canonical_;
};

// Session files opened for a feed (FileSource, read block by block).
std::vector<std::unique_ptr<SampleSource>> openSessionFiles(
    const std::vector<std::filesystem::path>& paths);
std::vector<const SampleSource*> sourcePointers(
    const std::vector<std::unique_ptr<SampleSource>>& sources);

}  // namespace imuwb
