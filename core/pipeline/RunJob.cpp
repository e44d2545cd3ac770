#include "pipeline/RunJob.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "pipeline/DerivedOutputs.hpp"
#include "pipeline/OutputsFile.hpp"
#include "pipeline/PostProcessing.hpp"
#include "pipeline/ResampledSource.hpp"

namespace imuwb {
namespace fs = std::filesystem;
namespace {

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string csvCell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// The streamed CSV: written to a unique temporary file (TemporaryFile), renamed on commit().
class CsvSink {
 public:
  explicit CsvSink(const fs::path& target) : temp_(target) {
    stream_.open(temp_.path(), std::ios::binary | std::ios::trunc);
    if (!stream_)
      throw Error(target.string(), "cannot create the CSV", "check the folder is writable");
  }
  std::ofstream& stream() { return stream_; }
  void commit() {
    errno = 0;
    stream_.close();
    if (!stream_) {
      if (auto failure = storageFailure(temp_.target(), errno)) throw *failure;
      throw Error(temp_.target().string(), "writing the CSV failed", "check free disk space");
    }
    temp_.commit();
  }

 private:
  TemporaryFile temp_;  // removed by its destructor unless committed
  std::ofstream stream_;
};

OutputsProvenance makeProvenance(const ModelBundle& bundle, const SampleSource& source,
                                 const RunOptions& options, const std::vector<std::string>& devices,
                                 const JobControl& control) {
  const Manifest& manifest = bundle.manifest;
  OutputsProvenance provenance;
  provenance.createdUtc = utcNow();
  provenance.sessionPath = source.describe();
  if (options.hashSession && fs::is_regular_file(source.describe())) {
    control.report(0.0, "hashing session");
    provenance.sessionSha256 = sha256File(source.describe());
  }
  provenance.modelName = manifest.name;
  provenance.modelVersion = manifest.version;
  provenance.modelSha256 = bundle.sha256();
  provenance.manifestJson = manifestToJson(manifest).dump();
  provenance.windowLength = manifest.input.windowLength;
  provenance.stride = options.stride;
  provenance.sampleRateHz = source.sampleRateHz();
  provenance.labelRule = options.labelRule == LabelRule::CentreSample ? "centre" : "majority";
  provenance.classes = source.classes();
  provenance.devices = devices;
  if (const auto* resampled = dynamic_cast<const ResampledSource*>(&source))
    provenance.resamplingJson = resampled->provenanceJson();
  return provenance;
}

// Every manifest output as the backend returns it, then the derived datasets.
std::vector<OutputColumn> outputColumns(const Manifest& manifest, const DerivedOutputs& derived) {
  std::vector<OutputColumn> columns;
  for (const auto& output : manifest.outputs) {
    OutputColumn column{output.name,
                        static_cast<std::size_t>(output.size),
                        false,
                        {{"role", roleName(output.role)}}};
    if (!output.names.empty()) column.attributes["names"] = output.names;
    columns.push_back(column);
  }
  const auto derivedColumns = derived.columns();
  columns.insert(columns.end(), derivedColumns.begin(), derivedColumns.end());
  return columns;
}

void writeCsvHeader(std::ostream& out, const Manifest& manifest, bool withFsq) {
  out << "window,start_index,start_time_s,label";
  for (const auto& output : manifest.outputs)
    for (int i = 0; i < output.size; ++i)
      out << ","
          << csvCell(output.name + "[" +
                     (output.names.empty() ? std::to_string(i) : output.names[i]) + "]");
  for (const auto& output : manifest.outputs)
    if (output.role == OutputRole::Logits)
      for (int i = 0; i < output.size; ++i)
        out << ","
            << csvCell("p(" + (output.names.empty() ? std::to_string(i) : output.names[i]) + ")");
  if (withFsq) out << ",fsq_code_index";
  out << "\n";
}

// One row per window: index, start, label, every output value, then the derived softmax of
// each logits output and the FSQ code index.
void writeCsvRows(std::ostream& out, const Manifest& manifest,
                  const std::vector<std::string>& classes, const FeedBatch& fed,
                  std::size_t firstWindow, const std::vector<const OutputTensor*>& ordered,
                  const DerivedOutputs::Batch& derived) {
  char line[64];
  for (std::size_t w = 0; w < fed.size(); ++w) {
    const auto& info = fed.windows[w];
    std::snprintf(line, sizeof line, "%.4f", info.startTime_s);
    out << (firstWindow + w) << "," << info.startRow << "," << line << ","
        << (info.label >= 0 && info.label < static_cast<int>(classes.size())
                ? csvCell(classes[info.label])
                : std::string());
    for (std::size_t o = 0; o < ordered.size(); ++o) {
      const std::size_t size = manifest.outputs[o].size;
      for (std::size_t i = 0; i < size; ++i) {
        std::snprintf(line, sizeof line, ",%.7g", ordered[o]->values[w * size + i]);
        out << line;
      }
    }
    for (const auto& probabilities : derived.probabilities) {
      const std::size_t size = probabilities.size() / fed.size();
      for (std::size_t i = 0; i < size; ++i) {
        std::snprintf(line, sizeof line, ",%.6g", probabilities[w * size + i]);
        out << line;
      }
    }
    if (!derived.fsqIndices.empty()) out << "," << derived.fsqIndices[w];
    out << "\n";
  }
}

// The backend's tensor for one manifest output, with [count, size] values.
const OutputTensor& requireOutput(const OutputSet& result, const OutputSpec& output,
                                  std::size_t count, const std::string& backendName) {
  const OutputTensor* tensor = result.find(output.name);
  if (!tensor)
    throw Error("backend " + backendName, "did not return output '" + output.name + "'",
                "check the manifest's output names against the model");
  if (tensor->values.size() != count * static_cast<std::size_t>(output.size))
    throw Error("backend " + backendName, "output '" + output.name + "' has " +
                                              std::to_string(tensor->values.size()) +
                                              " values for " + std::to_string(count) +
                                              " windows of size " + std::to_string(output.size));
  return *tensor;
}

// Output ranges, device fallback and skipped windows, and an error when nothing could run.
std::vector<Finding> runFindings(const OutputRangeCheck& ranges, const WindowFeed& feed,
                                 const RunSummary& summary, const SampleSource& source) {
  std::vector<Finding> findings = ranges.findings();
  const auto feedFindings = feed.findings();
  findings.insert(findings.end(), feedFindings.begin(), feedFindings.end());
  if (summary.windows == 0) {
    Finding none;
    none.severity = Severity::Error;
    none.code = "no_windows";
    none.message = "no window could be run (" + summary.skipped.summary() + ", " +
                   std::to_string(source.rowCount()) + " rows)";
    none.fix = "the session must hold at least one full window without gaps or NaNs";
    findings.push_back(none);
  }
  return findings;
}

}  // namespace

RunSummary runModelOnSession(const ModelBundle& bundle, Backend& backend,
                             const SampleSource& source, const RunOptions& options,
                             const JobControl& control) {
  const auto started = std::chrono::steady_clock::now();
  const Manifest& manifest = bundle.manifest;
  RunSummary summary;
  summary.backend = backend.describe();
  const std::size_t chunk =
      backend.maxBatchWindows() ? backend.maxBatchWindows() : options.blockWindows;
  WindowFeedOptions feedOptions;
  feedOptions.stride = options.stride;
  feedOptions.labelRule = options.labelRule;
  feedOptions.devices = options.devices;
  feedOptions.fallbackToSessionOrder = options.fallbackToSessionDevices;
  feedOptions.shareDevice = options.shareDevice;
  feedOptions.batchWindows = std::min(chunk, options.blockWindows);
  feedOptions.maxWindows = options.maxWindows;
  WindowFeed feed(bundle, source, feedOptions);  // every contract check happens here
  summary.devices = feed.devices();

  const OutputsProvenance provenance =
      makeProvenance(bundle, source, options, summary.devices, control);

  // Declared datasets: every manifest output, plus the derived ones (probabilities, FSQ).
  DerivedOutputs derived(bundle);
  auto writer = OutputsWriter::create(options.outPath, provenance);
  writer.addBackend(summary.backend, outputColumns(manifest, derived));
  std::optional<CsvSink> csv;
  if (!options.csvPath.empty()) {
    csv.emplace(options.csvPath);
    writeCsvHeader(csv->stream(), manifest, derived.hasFsq());
  }

  OutputRangeCheck ranges(manifest);
  FeedBatch fed;
  DerivedOutputs::Batch post;
  const std::string backendName = summary.backend.name;

  while (feed.next(fed)) {
    control.throwIfCancelled();
    const std::size_t count = fed.size();
    OutputSet result = backend.run(fed.batch);
    writer.appendWindows(fed.windows, 0, count);
    std::vector<const OutputTensor*> ordered;
    for (const auto& output : manifest.outputs) {
      const OutputTensor* tensor = &requireOutput(result, output, count, backendName);
      writer.appendValues(backendName, output.name, tensor->values.data(), count);
      ranges.add(output.name, tensor->values.data(), count);
      ordered.push_back(tensor);
    }
    derived.compute(result, count, post);
    derived.write(post, writer, backendName);
    if (csv)
      writeCsvRows(csv->stream(), manifest, source.classes(), fed, summary.windows, ordered, post);
    summary.windows += count;
    char stage[96];
    std::snprintf(stage, sizeof stage, "window %zu / %zu", summary.windows, feed.candidateCount());
    control.report(feed.progress(), stage);
  }

  summary.skipped = feed.skippedTotal();
  summary.findings = runFindings(ranges, feed, summary, source);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary.windowsPerSecond = summary.seconds > 0 ? summary.windows / summary.seconds : 0;
  writer.setAttribute("windows_run", static_cast<long long>(summary.windows));
  writer.setAttribute("windows_skipped_gap", static_cast<long long>(summary.skipped.gapWindows));
  writer.setAttribute("windows_skipped_nan", static_cast<long long>(summary.skipped.nanWindows));
  writer.setAttribute("skip_summary", summary.skipped.summary());
  control.throwIfCancelled();
  writer.finish();
  if (csv) csv->commit();
  control.report(1.0, "done");
  return summary;
}

}  // namespace imuwb
