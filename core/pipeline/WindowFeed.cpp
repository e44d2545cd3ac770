#include "pipeline/WindowFeed.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/Error.hpp"
#include "engine/Tensor.hpp"
#include "pipeline/Layout.hpp"

namespace imuwb {
namespace {

std::string joined(const std::vector<std::string>& names, const std::string& separator = ", ") {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}
std::string hertz(double rate) {
  return number(rate) + " Hz";
}

std::string manifestPlace(const std::filesystem::path& manifestPath, const std::string& field) {
  return (manifestPath.empty() ? std::string("the model") : manifestPath.string()) + ": " + field;
}

// The channel axis of the model input must hold the manifest's channels (9, or 6 for a model
// without a magnetometer), and its H x W must be devices x window length.
void checkLayout(const ModelBundle& bundle) {
  const Manifest& manifest = bundle.manifest;
  const auto& shape = manifest.input.shape;
  const std::string where = manifestPlace(bundle.manifestPath, "input.shape");
  const bool channelsFirst = manifest.input.layout == InputLayout::NCHW_devices ||
                             manifest.input.layout == InputLayout::NCHW_time_folded;
  const std::size_t channelAxis = channelsFirst ? 1 : shape.size() - 1;
  const std::size_t rank = manifest.input.layout == InputLayout::NTC ? 3 : 4;
  const int channels = manifest.input.channelCount();
  if (shape.size() != rank || shape[channelAxis] != channels)
    throw Error(where,
                "the model input " + engine::shapeToString(shape) + " (" +
                    std::string(layoutName(manifest.input.layout)) + ") does not hold " +
                    std::to_string(channels) + " channels on its channel axis",
                "windows carry ax ay az gx gy gz mx my mz (or ax..gz for a 6-channel model): "
                "export the model with a 9- or 6-channel input, or write a manifest "
                "(docs/manifest.md) naming its layout");
  const CanonicalDims dims = canonicalDims(manifest);
  const int devices = manifest.input.layout == InputLayout::NCHW_time_folded
                          ? 1
                          : std::max(1, manifest.deviceCount());
  if (static_cast<long long>(devices) * manifest.input.windowLength !=
      static_cast<long long>(dims.h) * dims.w)
    throw Error(where,
                std::to_string(devices) + " device(s) x " +
                    std::to_string(manifest.input.windowLength) + " samples do not fill " +
                    std::to_string(dims.h) + " x " + std::to_string(dims.w),
                "check input.devices and the window length in the manifest");
}

// The model's device slots in H order, e.g. "H0 collar, H1 harness" (unnamed: "H0 (unnamed)").
std::string slotList(const Manifest& manifest, int needed) {
  std::string text;
  for (int h = 0; h < needed; ++h) {
    const auto slot = static_cast<std::size_t>(h);
    const std::string name =
        slot < manifest.input.devices.size() ? manifest.input.devices[slot] : "(unnamed)";
    text += (text.empty() ? "" : ", ") + ("H" + std::to_string(h) + " " + name);
  }
  return text;
}

// A --devices value built from what the session has: each slot's own device when present,
// else the next session device not used yet; a session with fewer devices than slots repeats
// its first device (which needs --share-device).
std::vector<std::string> suggestedDevices(const Manifest& manifest,
                                          const std::vector<std::string>& present, int needed) {
  std::vector<std::string> chosen(static_cast<std::size_t>(needed));
  std::vector<bool> used(present.size(), false);
  const auto indexOf = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(present.begin(), present.end(), name) -
                                    present.begin());
  };
  for (std::size_t h = 0; h < chosen.size() && h < manifest.input.devices.size(); ++h)
    if (const auto i = indexOf(manifest.input.devices[h]); i < present.size() && !used[i]) {
      chosen[h] = present[i];
      used[i] = true;
    }
  for (auto& name : chosen) {
    if (!name.empty()) continue;
    const auto free = std::find(used.begin(), used.end(), false);
    const auto i = static_cast<std::size_t>(free - used.begin());
    name = i < present.size() ? present[i] : present.front();
    if (i < present.size()) used[i] = true;
  }
  return chosen;
}

// Each device named more than once, with its H indices ("collar on H0 and H1"); empty if none.
std::string sharedDevices(const std::vector<std::string>& devices) {
  std::string text;
  for (std::size_t h = 0; h < devices.size(); ++h) {
    if (std::find(devices.begin(), devices.begin() + static_cast<std::ptrdiff_t>(h), devices[h]) !=
        devices.begin() + static_cast<std::ptrdiff_t>(h))
      continue;  // reported at its first index
    std::string slots = "H" + std::to_string(h);
    for (std::size_t k = h + 1; k < devices.size(); ++k)
      if (devices[k] == devices[h]) slots += " and H" + std::to_string(k);
    if (slots.find(" and ") != std::string::npos)
      text += (text.empty() ? "" : "; ") + ("'" + devices[h] + "' on " + slots);
  }
  return text;
}

// Every device-mapping error: the problem, what the session has, what the model's slots are,
// and a --devices value built from them.
Error deviceMismatch(const std::string& where, const std::string& problem, const Manifest& manifest,
                     const std::vector<std::string>& present, int needed) {
  const auto suggestion = suggestedDevices(manifest, present, needed);
  std::string fix = "pass --devices " + joined(suggestion, ",");
  if (!sharedDevices(suggestion).empty())
    fix +=
        " --share-device (the session has fewer devices than the model has slots, so one "
        "sensor feeds several)";
  return Error(where,
               problem + "; session devices: " + joined(present) +
                   "; model device slots: " + slotList(manifest, needed),
               fix);
}

}  // namespace

DeviceChoice chooseDevices(const Manifest& manifest, const SampleSource& source,
                           const std::vector<std::string>& requested, bool fallbackToSessionOrder,
                           bool shareDevice) {
  const auto& present = source.deviceNames();
  const std::string where = source.describe();
  if (present.empty()) throw Error(where, "the session has no devices", "import a recording");
  const auto missing = [&](const std::vector<std::string>& names) -> const std::string* {
    for (const auto& name : names)
      if (source.deviceIndex(name) < 0) return &name;
    return nullptr;
  };
  const int needed = std::max(1, manifest.deviceCount());
  DeviceChoice choice;
  if (!requested.empty()) {
    if (const auto* name = missing(requested))
      throw deviceMismatch(where, "--devices names '" + *name + "', which is not in the session",
                           manifest, present, needed);
    choice.devices = requested;
  } else if (!manifest.input.devices.empty()) {
    const auto* name = missing(manifest.input.devices);
    if (!name) {
      choice.devices = manifest.input.devices;
    } else if (!fallbackToSessionOrder) {
      throw deviceMismatch(where,
                           "the model's device slot '" + *name + "' has no device in the session",
                           manifest, present, needed);
    }
  }
  if (choice.devices.empty()) {
    // A single-device layout without a name (the first device), or the fallback.
    for (int h = 0; h < needed && h < static_cast<int>(present.size()); ++h)
      choice.devices.push_back(present[static_cast<std::size_t>(h)]);
    if (!manifest.input.devices.empty())
      choice.note = "the model's devices (" + joined(manifest.input.devices) +
                    ") are not in this session; using " + joined(choice.devices);
  }
  if (static_cast<int>(choice.devices.size()) != needed)
    throw deviceMismatch(where,
                         "the model takes " + std::to_string(needed) +
                             " device(s) on its H axis but " +
                             std::to_string(choice.devices.size()) + " were given or found",
                         manifest, present, needed);
  choice.shared = sharedDevices(choice.devices);
  if (!choice.shared.empty() && !shareDevice) {
    const auto distinct = suggestedDevices(manifest, present, needed);
    std::string fix = "add --share-device to feed one sensor to several model slots on purpose";
    if (sharedDevices(distinct).empty())
      fix += ", or pass --devices " + joined(distinct, ",") + " (one session device per slot)";
    throw Error(where,
                "--devices " + joined(choice.devices, ",") + " repeats a device (" + choice.shared +
                    "); session devices: " + joined(present) +
                    "; model device slots: " + slotList(manifest, needed),
                fix);
  }
  return choice;
}

void checkSampleRate(const Manifest& manifest, const std::filesystem::path& manifestPath,
                     const SampleSource& source) {
  const double want = manifest.input.sampleRateHz;
  const double have = source.sampleRateHz();
  if (std::abs(have - want) <= 1e-6 * std::max(1.0, want)) return;
  throw Error(source.describe() + ": sample_rate_hz",
              "the session is sampled at " + hertz(have) + " but the model expects " + hertz(want) +
                  " (" + manifestPlace(manifestPath, "input.sample_rate_hz") + ")",
              "resample the recording to " + hertz(want) +
                  " before windowing it (--resample, or imuwb resample SESSION --rate " +
                  number(want) + " --out OUT.h5), or use a model trained at " + hertz(have));
}

WindowFeed::WindowFeed(const ModelBundle& bundle, const SampleSource& source,
                       WindowFeedOptions options)
    : WindowFeed(bundle, std::vector<const SampleSource*>{&source}, std::move(options)) {}

WindowFeed::WindowFeed(const ModelBundle& bundle, std::vector<const SampleSource*> sources,
                       WindowFeedOptions options)
    : bundle_(bundle),
      sources_(std::move(sources)),
      options_(std::move(options)),
      builder_(bundle.manifest) {
  if (sources_.empty())
    throw Error("windows", "no session to cut windows from", "give at least one session");
  if (options_.stride < 1)
    throw Error("--stride " + std::to_string(options_.stride),
                "the stride must be at least 1 sample", "use the training stride (50)");
  if (options_.batchWindows == 0) options_.batchWindows = 1;
  if (bundle_.manifestInferred)
    throw Error(bundle_.onnxPath.string(),
                "has no manifest, and cutting windows from a session needs the model's "
                "preprocessing contract (sample rate, devices, channel order, normalization)",
                "write a manifest beside the model (docs/manifest.md), or give ready windows as "
                "an .npy (--inputs / --calib)");
  checkLayout(bundle_);
  const Manifest& manifest = bundle_.manifest;
  double offset = 0;
  for (const auto* source : sources_) {
    checkSampleRate(manifest, bundle_.manifestPath, *source);
    choices_.push_back(chooseDevices(manifest, *source, options_.devices,
                                     options_.fallbackToSessionOrder, options_.shareDevice));
    // Counting candidates also checks the options against this source (unknown devices...).
    WindowerOptions w;
    w.windowLength = manifest.input.windowLength;
    w.channels = manifest.input.channelCount();
    w.stride = options_.stride;
    w.devices = choices_.back().devices;
    w.firstRow = options_.firstRow;
    w.endRow = options_.endRow;
    candidates_.push_back(Windower(*source, w).candidateCount());
    offsets_s_.push_back(offset);
    offset += static_cast<double>(source->rowCount()) / source->sampleRateHz();
  }
  skips_.resize(sources_.size());
}

WindowFeed::~WindowFeed() = default;

const std::vector<std::string>& WindowFeed::devices(std::size_t source) const {
  return choices_.at(source).devices;
}

const std::vector<std::string>& WindowFeed::classes(std::size_t source) const {
  return sources_.at(source)->classes();
}

std::size_t WindowFeed::candidateCount() const {
  std::size_t total = 0;
  for (auto n : candidates_) total += n;
  return total;
}

double WindowFeed::progress() const {
  std::size_t total = candidateCount(), done = 0;
  if (total == 0) return 1.0;
  for (std::size_t s = 0; s < current_ && s < candidates_.size(); ++s) done += candidates_[s];
  double fraction = static_cast<double>(done);
  if (windower_) fraction += windower_->progress() * static_cast<double>(candidates_[current_]);
  return std::min(1.0, fraction / static_cast<double>(total));
}

bool WindowFeed::fillBlock() {
  while (current_ < sources_.size()) {
    if (options_.maxWindows && accepted_ >= options_.maxWindows) return false;
    if (!windower_) {
      WindowerOptions w;
      w.windowLength = bundle_.manifest.input.windowLength;
      w.channels = bundle_.manifest.input.channelCount();
      w.stride = options_.stride;
      w.labelRule = options_.labelRule;
      w.devices = choices_[current_].devices;
      w.firstRow = options_.firstRow;
      w.endRow = options_.endRow;
      w.blockWindows = options_.batchWindows;
      windower_ = std::make_unique<Windower>(*sources_[current_], w);
    }
    const bool more = windower_->next(block_);
    used_ = 0;
    skips_[current_] = windower_->skipped();
    if (block_.size() > 0) return true;
    if (!more) {
      windower_.reset();
      ++current_;
    }
  }
  return false;
}

bool WindowFeed::next(FeedBatch& out, std::size_t limit) {
  out.windows.clear();
  out.batch.values.clear();
  if (limit == 0) limit = options_.batchWindows;
  if (options_.maxWindows && accepted_ >= options_.maxWindows) return false;
  if (used_ >= block_.size() && !fillBlock()) return false;
  std::size_t count = std::min(limit, block_.size() - used_);
  if (options_.maxWindows) count = std::min(count, options_.maxWindows - accepted_);
  out.source = current_;
  out.sourceOffset_s = offsets_s_[current_];
  out.windows.assign(block_.windows.begin() + static_cast<std::ptrdiff_t>(used_),
                     block_.windows.begin() + static_cast<std::ptrdiff_t>(used_ + count));
  if (options_.buildBatches) {
    if (options_.layout == FeedLayout::Model) {
      builder_.build(block_, used_, count, out.batch);
    } else {
      builder_.buildCanonical(block_, used_, count, out.batch.values);
      const CanonicalDims dims = builder_.dims();
      out.batch.inputName = bundle_.manifest.input.name;
      out.batch.shape = {static_cast<std::int64_t>(count), dims.h, dims.w, dims.c};
    }
  } else {
    out.batch.inputName = bundle_.manifest.input.name;
    out.batch.shape = batchShape(bundle_.manifest, count);
  }
  used_ += count;
  accepted_ += count;
  return true;
}

SkipReport WindowFeed::skippedTotal() const {
  SkipReport total;
  for (const auto& s : skips_) {
    total.candidates += s.candidates;
    total.accepted += s.accepted;
    total.gapWindows += s.gapWindows;
    total.nanWindows += s.nanWindows;
    for (double t : s.firstGapTimes_s)
      if (total.firstGapTimes_s.size() < 5) total.firstGapTimes_s.push_back(t);
    for (double t : s.firstNanTimes_s)
      if (total.firstNanTimes_s.size() < 5) total.firstNanTimes_s.push_back(t);
  }
  return total;
}

std::string WindowFeed::deviceNote() const {
  std::string text;
  for (const auto& choice : choices_)
    if (!choice.note.empty() && text.find(choice.note) == std::string::npos)
      text += (text.empty() ? "" : "; ") + choice.note;
  return text;
}

std::vector<Finding> WindowFeed::findings() const {
  std::vector<Finding> findings;
  // One device_shared finding for the whole feed: the choice is the user's, made once.
  for (const auto& choice : choices_) {
    if (choice.shared.empty()) continue;
    findings.push_back({Severity::Warning, "device_shared",
                        "one sensor feeds several model device slots (" + choice.shared +
                            "): the model sees the same motion in each",
                        "record every device the model expects, or drop --share-device to be "
                        "told when a device is repeated"});
    break;
  }
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    const bool several = sources_.size() > 1;
    if (!choices_[s].note.empty()) {
      Finding note{Severity::Warning, "devices_fallback", choices_[s].note,
                   "pass --devices to choose the session device for each H index"};
      note.subject = sources_[s]->describe();
      findings.push_back(note);
    }
    const auto& skips = skips_[s];
    if (skips.skipped() == 0) continue;
    Finding skipped;
    skipped.severity = Severity::Warning;
    skipped.code = "windows_skipped";
    skipped.message = (several ? sources_[s]->describe() + ": " : std::string()) + skips.summary();
    skipped.fix = "inspect the session for gaps and NaN runs (imuwb validate)";
    skipped.subject = sources_[s]->describe();
    if (!skips.firstGapTimes_s.empty())
      skipped.start_s = skips.firstGapTimes_s.front();
    else if (!skips.firstNanTimes_s.empty())
      skipped.start_s = skips.firstNanTimes_s.front();
    findings.push_back(skipped);
  }
  return findings;
}

std::vector<std::unique_ptr<SampleSource>> openSessionFiles(
    const std::vector<std::filesystem::path>& paths) {
  std::vector<std::unique_ptr<SampleSource>> sources;
  for (const auto& path : paths) sources.push_back(std::make_unique<FileSource>(path));
  return sources;
}

std::vector<const SampleSource*> sourcePointers(
    const std::vector<std::unique_ptr<SampleSource>>& sources) {
  std::vector<const SampleSource*> pointers;
  for (const auto& source : sources) pointers.push_back(source.get());
  return pointers;
}

}  // namespace imuwb
