#include "pipeline/ModelCheck.hpp"

#include <map>
#include <memory>
#include <random>

#include "common/Error.hpp"
#include "model/OutputRoleInference.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "pipeline/PostProcessing.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb {
namespace {

// Windows drawn per channel from N(mean, std) of the manifest (raw units, contract order), so
// they go through the same normalization as real data. Deterministic.
WindowBlock syntheticWindows(const Manifest& manifest, std::size_t count) {
  WindowBlock block;
  block.deviceCount = manifest.deviceCount();
  if (manifest.input.layout == InputLayout::NCHW_time_folded) block.deviceCount = 1;
  block.windowLength = manifest.input.windowLength;
  const int channels = manifest.input.channelCount();
  block.channelCount = channels;
  std::mt19937 random(20240611);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::array<float, kChannelCount> mean{}, std{};
  std::fill(std.begin(), std.end(), 1.0f);
  if (manifest.normalization.present) {
    const auto index = contractIndexOfModelChannels(manifest);
    for (int m = 0; m < channels; ++m) {
      mean[index[m]] = manifest.normalization.mean[m];
      std[index[m]] = manifest.normalization.std[m];
    }
  }
  const std::size_t rows = count * block.deviceCount * block.windowLength;
  block.raw.resize(rows * static_cast<std::size_t>(channels));
  for (std::size_t r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c)
      block.raw[r * channels + c] = mean[c] + std[c] * normal(random);
  for (std::size_t i = 0; i < count; ++i) block.windows.push_back({0, 0.0, -1});
  return block;
}

void replaceFirst(std::string& text, const std::string& from, const std::string& to) {
  if (const auto at = text.find(from); at != std::string::npos) text.replace(at, from.size(), to);
}

}  // namespace

ModelCheckReport checkModel(const ModelBundle& bundle, Backend* backend,
                            const SampleSource* session, const ModelCheckOptions& options,
                            const JobControl& control) {
  ModelCheckReport report;
  report.model = bundle.onnxPath.string();
  report.contract = checkHailoContract(
      *bundle.model, bundle.manifestInferred ? nullptr : &bundle.manifest, bundle.manifestInferred);
  report.findings = report.contract.findings;
  // Without a manifest, say what each output was taken to be, and why.
  std::map<std::string, std::string> roleNotes;  // output -> "motif_scores, inferred from name"
  if (bundle.manifestInferred)
    for (const auto& output : bundle.model->outputs()) {
      std::vector<std::int64_t> dims;
      for (const auto& dim : output.shape) dims.push_back(dim.fixed() ? dim.value : -1);
      const auto inferred = inferOutputRole(output.name, dims);
      const std::string role(roleName(inferred.role));
      roleNotes[output.name] = role + ", " + inferred.explanation;
      Finding note{
          Severity::Info, "output_role_inferred",
          "output '" + output.name + "' is taken as " + role + " (" + inferred.explanation + ")",
          "declare the output's role in a manifest (docs/manifest.md)"};
      note.subject = output.name;
      report.findings.push_back(note);
    }
  control.report(0.2, "contract");

  // A session must meet the model's contract (rate, devices, layout): checked once, here, by
  // the window feed; a violation is an input error, not a finding.
  std::unique_ptr<WindowFeed> feed;
  auto preprocessing = options.preprocessing;
  if (session) {
    WindowFeedOptions feedOptions;
    feedOptions.devices = options.preprocessing.devices;
    feedOptions.shareDevice = options.preprocessing.shareDevice;
    feedOptions.maxWindows = std::max<std::size_t>(1, options.sampleWindows);
    feedOptions.batchWindows = feedOptions.maxWindows;
    if (backend && backend->maxBatchWindows())
      feedOptions.batchWindows = std::min(feedOptions.batchWindows, backend->maxBatchWindows());
    feed = std::make_unique<WindowFeed>(bundle, *session, feedOptions);
    preprocessing.devices = feed->devices();
    const auto feedFindings = feed->findings();
    report.findings.insert(report.findings.end(), feedFindings.begin(), feedFindings.end());
  }

  if (backend && options.sampleWindows > 0) {
    try {
      backend->load(bundle);
      OutputRangeCheck ranges(bundle.manifest);
      std::string origin = "session windows";
      FeedBatch fed;
      while (feed && feed->next(fed)) {
        auto outputs = backend->run(fed.batch);
        for (const auto& output : bundle.manifest.outputs)
          if (const auto* tensor = outputs.find(output.name))
            ranges.add(output.name, tensor->values.data(), fed.size());
        report.windowsRun += fed.size();
      }
      if (report.windowsRun == 0) {
        const WindowBlock block = syntheticWindows(bundle.manifest, options.sampleWindows);
        origin = bundle.manifest.normalization.present
                     ? "windows drawn from the manifest's mean/std"
                     : "N(0,1) windows (no normalization contract)";
        BatchBuilder builder(bundle.manifest);
        Batch batch;
        const std::size_t chunk =
            backend->maxBatchWindows() ? backend->maxBatchWindows() : block.size();
        for (std::size_t first = 0; first < block.size(); first += chunk) {
          const std::size_t count = std::min(chunk, block.size() - first);
          builder.build(block, first, count, batch);
          auto outputs = backend->run(batch);
          for (const auto& output : bundle.manifest.outputs)
            if (const auto* tensor = outputs.find(output.name))
              ranges.add(output.name, tensor->values.data(), count);
        }
        report.windowsRun = block.size();
      }
      for (auto finding : ranges.findings()) {
        finding.message += " on " + std::to_string(report.windowsRun) + " " + origin;
        if (auto note = roleNotes.find(finding.subject); note != roleNotes.end())
          replaceFirst(finding.message, "(" + note->second.substr(0, note->second.find(',')) + ")",
                       "(" + note->second + ")");
        report.findings.push_back(finding);
      }
    } catch (const Error& error) {
      Finding finding;
      finding.severity = Severity::Warning;
      finding.code = "sample_run_failed";
      finding.subject = backend->describe().name;
      finding.message = "could not run sample windows on the " + backend->describe().name +
                        " backend: " + error.problem();
      finding.fix = error.fix();
      report.findings.push_back(finding);
    }
  }
  control.report(0.5, "sample windows");

  if (session) {
    report.session = session->describe();
    auto findings =
        checkPreprocessing(bundle.manifest, *session, preprocessing, &report.deviceStats, control);
    report.findings.insert(report.findings.end(), findings.begin(), findings.end());
  }
  control.report(1.0, "done");
  return report;
}

nlohmann::json toJson(const ModelCheckReport& report) {
  nlohmann::json findings = nlohmann::json::array();
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const auto& finding : report.findings) {
    findings.push_back(imuwb::toJson(finding));
    if (finding.severity == Severity::Error)
      ++errors;
    else if (finding.severity == Severity::Warning)
      ++warnings;
    else
      ++infos;
  }
  nlohmann::json stats = nlohmann::json::array();
  for (const auto& device : report.deviceStats) {
    nlohmann::json channels = nlohmann::json::array();
    for (int c = 0; c < device.channelCount; ++c) {
      const auto& ch = device.channels[c];
      channels.push_back({{"channel", kChannelNames[c]},
                          {"mean", ch.mean},
                          {"std", ch.std},
                          {"min", ch.min},
                          {"max", ch.max},
                          {"clipped_fraction", ch.clippedFraction},
                          {"non_finite", ch.nonFinite}});
    }
    stats.push_back({{"device", device.device},
                     {"rows", device.rows},
                     {"acc_norm_mean", device.accNormMean},
                     {"mag_norm_mean", device.magNormMean},
                     {"channels", channels}});
  }
  return {{"schema", "imuwb-check"},
          {"schema_version", 1},
          {"model", report.model},
          {"session", report.session},
          {"passed", report.passed()},
          {"counts", {{"error", errors}, {"warning", warnings}, {"info", infos}}},
          {"opset", report.contract.opset},
          {"ir_version", report.contract.irVersion},
          {"parameters", report.contract.parameterCount},
          {"weight_bytes_fp32", report.contract.weightBytesFp32},
          {"weight_bytes_int8", report.contract.weightBytesInt8},
          {"op_counts", report.contract.opCounts},
          {"windows_run", report.windowsRun},
          {"findings", findings},
          {"device_stats", stats}};
}

}  // namespace imuwb
