#include "session/resample/SessionResampling.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "session/resample/PolyphaseResampler.hpp"

namespace imuwb {
namespace {

// Timestamps within 1% of a period of row / rate count as uniform (clock rounding).
bool timestampsUniform(const SessionReader& reader, const JobControl& control) {
  const SessionHeader& header = reader.header();
  if (!header.hasExplicitTime) return true;
  const double period = 1.0 / header.sampleRateHz;
  const std::size_t block = std::max<std::size_t>(reader.chunkRows(), 4096);
  for (std::size_t first = 0; first < header.sampleCount; first += block) {
    control.throwIfCancelled();
    const auto t = reader.readTime(first, std::min(block, header.sampleCount - first));
    for (std::size_t i = 0; i < t.size(); ++i)
      if (std::abs(t[i] - header.firstTime_s - static_cast<double>(first + i) * period) >
          0.01 * period)
        return false;
  }
  return true;
}

// Linear interpolation of irregular rows onto t0 + k / rate, k < rows, fed block by block.
class LinearRegrid {
 public:
  LinearRegrid(double t0, double rateHz, std::size_t rows, int channels)
      : t0_(t0), rate_(rateHz), rows_(rows), channels_(channels) {}

  void push(const double* time, const float* frames, std::size_t count, std::vector<float>& out) {
    for (std::size_t i = 0; i < count; ++i) {
      const float* frame = frames + i * channels_;
      for (; next_ < rows_; ++next_) {
        const double g = t0_ + static_cast<double>(next_) / rate_;
        if (g > time[i]) break;
        const double span = time[i] - previousTime_;
        const double w = (havePrevious_ && span > 0) ? (g - previousTime_) / span : 1.0;
        for (int c = 0; c < channels_; ++c)
          out.push_back(static_cast<float>(previous_[c] + w * (frame[c] - previous_[c])));
      }
      std::copy(frame, frame + channels_, previous_);
      previousTime_ = time[i];
      havePrevious_ = true;
    }
  }
  // Grid points left past the last timestamp by rounding take the last row.
  void finish(std::vector<float>& out) {
    for (; next_ < rows_; ++next_) out.insert(out.end(), previous_, previous_ + channels_);
  }

 private:
  double t0_, rate_;
  std::size_t rows_, next_ = 0;
  int channels_;  // 9, or 6 for a device without a magnetometer
  float previous_[kChannelCount] = {};
  double previousTime_ = 0;
  bool havePrevious_ = false;
};

nlohmann::json provenanceOf(const SessionResamplePlan& plan, nlohmann::json provenance,
                            const nlohmann::json& sourceMetadata) {
  if (!provenance.is_object()) provenance = nlohmann::json::object();
  provenance["source_rate_hz"] = plan.sourceRateHz;
  provenance["target_rate_hz"] = plan.targetRateHz;
  provenance["up"] = plan.ratio.up;
  provenance["down"] = plan.ratio.down;
  provenance["filter"] = plan.ratio.filterText();
  provenance["method"] = "polyphase FIR, as scipy.signal.resample_poly(x, up, down)";
  provenance["source_rows"] = plan.inputRows;
  if (plan.irregular) {
    provenance["irregular_timestamps"] = "interpolated linearly onto a uniform grid first";
    provenance["mean_rate_hz"] = plan.meanRateHz;
    provenance["grid_rate_hz"] = plan.gridRateHz;
  }
  if (sourceMetadata.is_object() && sourceMetadata.contains("resampling"))
    provenance["previous"] = sourceMetadata.at("resampling");
  return provenance;
}

}  // namespace

std::vector<LabelInterval> labelsWithin(const std::vector<LabelInterval>& labels, double end_s) {
  std::vector<LabelInterval> kept;
  for (const auto& label : labels) {
    if (label.start_s >= end_s) continue;
    kept.push_back(label);
    kept.back().end_s = std::min(label.end_s, end_s);
  }
  return kept;
}

SessionResamplePlan planSessionResample(const SessionReader& reader, double targetRateHz,
                                        const JobControl& control) {
  const SessionHeader& header = reader.header();
  SessionResamplePlan plan;
  plan.sourceRateHz = header.sampleRateHz;
  plan.targetRateHz = targetRateHz;
  plan.firstTime_s = header.firstTime_s;
  plan.inputRows = header.sampleCount;
  plan.irregular = header.sampleCount > 1 && !timestampsUniform(reader, control);
  if (plan.irregular) {
    const double span = header.lastTime_s - header.firstTime_s;
    plan.meanRateHz = static_cast<double>(header.sampleCount - 1) / span;
    plan.ratio = nearResampleRatio(plan.meanRateHz, targetRateHz);
    plan.gridRateHz =
        targetRateHz * static_cast<double>(plan.ratio.down) / static_cast<double>(plan.ratio.up);
    plan.gridRows = static_cast<std::size_t>(std::floor(span * plan.gridRateHz + 1e-9)) + 1;
  } else {
    plan.ratio = exactResampleRatio(header.sampleRateHz, targetRateHz);
    plan.gridRateHz = header.sampleRateHz;
    plan.gridRows = header.sampleCount;
  }
  const auto product =
      static_cast<unsigned __int128>(plan.gridRows) * static_cast<std::uint64_t>(plan.ratio.up);
  const auto down = static_cast<std::uint64_t>(plan.ratio.down);
  const auto outputRows = (product + down - 1) / down;
  if (outputRows > limits::value(limits::kSessionRows))
    throw Error(header.path.string(),
                "resampling to " + std::to_string(targetRateHz) +
                    " Hz gives more rows per device "
                    "than the session_rows limit (" +
                    std::to_string(limits::value(limits::kSessionRows)) + ")",
                "resample a shorter excerpt, or raise IMUWB_LIMIT_SESSION_ROWS");
  plan.outputRows = static_cast<std::size_t>(outputRows);
  return plan;
}

SessionResamplePlan resampleSessionFile(const std::filesystem::path& source,
                                        const std::filesystem::path& target, double targetRateHz,
                                        nlohmann::json provenance, const JobControl& control) {
  const SessionReader reader = SessionReader::open(source);
  const SessionHeader& header = reader.header();
  const SessionResamplePlan plan = planSessionResample(reader, targetRateHz, control);

  SessionWriterOptions options;
  options.sampleRateHz = targetRateHz;
  options.startTime = header.startTime;
  options.deviceNames = header.deviceNames;
  options.deviceChannels = header.deviceChannels;
  options.explicitTime = plan.firstTime_s != 0;  // keep the offset of the first timestamp
  options.metadata = header.metadata.is_object() ? header.metadata : nlohmann::json::object();
  options.metadata["resampling"] = provenanceOf(plan, std::move(provenance), header.metadata);
  SessionWriter writer = SessionWriter::create(target, options);

  const std::size_t block = std::max<std::size_t>(reader.chunkRows(), 4096);
  const double total = static_cast<double>(std::max<std::size_t>(1, plan.inputRows)) *
                       static_cast<double>(header.deviceNames.size());
  std::vector<float> grid, out;
  for (std::size_t d = 0; d < header.deviceNames.size(); ++d) {
    const int channels = header.deviceChannels[d];
    const auto width = static_cast<std::size_t>(channels);
    PolyphaseResampler resampler(plan.ratio, width, plan.gridRows);
    LinearRegrid regrid(plan.firstTime_s, plan.gridRateHz, plan.gridRows, channels);
    const std::string stage = "resampling " + header.deviceNames[d];
    for (std::size_t first = 0; first < plan.inputRows; first += block) {
      control.throwIfCancelled();
      const std::size_t count = std::min(block, plan.inputRows - first);
      const std::vector<float> rows = reader.readRows(d, first, count);
      if (plan.irregular) {
        grid.clear();
        regrid.push(reader.readTime(first, count).data(), rows.data(), count, grid);
        resampler.push(grid.data(), grid.size() / width, out);
      } else {
        resampler.push(rows.data(), count, out);
      }
      writer.appendRows(d, out.data(), out.size() / width);
      out.clear();
      control.report((static_cast<double>(d * plan.inputRows + first + count)) / total, stage);
    }
    if (plan.irregular) {
      grid.clear();
      regrid.finish(grid);
      resampler.push(grid.data(), grid.size() / width, out);
    }
    resampler.finish(out);
    writer.appendRows(d, out.data(), out.size() / width);
    out.clear();
  }
  if (options.explicitTime) {
    std::vector<double> time;
    for (std::size_t first = 0; first < plan.outputRows; first += block) {
      time.clear();
      for (std::size_t i = first; i < std::min(first + block, plan.outputRows); ++i)
        time.push_back(plan.firstTime_s + static_cast<double>(i) / targetRateHz);
      writer.appendTime(time.data(), time.size());
    }
  }
  const double end_s = plan.firstTime_s + static_cast<double>(plan.outputRows) / targetRateHz;
  writer.setLabels(header.classes, labelsWithin(header.labels, end_s));
  writer.finish();
  control.report(1.0, "resampled");
  return plan;
}

}  // namespace imuwb
