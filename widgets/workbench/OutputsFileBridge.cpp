#include "OutputsFileBridge.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "model/Manifest.hpp"
#include "pipeline/OutputsFile.hpp"

namespace imuwb::widgets {

namespace {

std::string nowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

OutputColumn column(const std::string& path, const WindowMatrix& matrix, const char* role) {
  OutputColumn out;
  out.path = path;
  out.width = matrix.width;
  out.attributes["role"] = role;
  if (!matrix.columnNames.empty()) out.attributes["names"] = matrix.columnNames;
  return out;
}

}  // namespace

void saveOutputs(const ModelOutputs& outputs, const Session& session,
                 const std::filesystem::path& target) {
  if (!outputs.file.empty() && std::filesystem::exists(outputs.file)) {
    // Outputs of a run are already an `imuwb run` file: save those exact bytes.
    if (std::filesystem::exists(target) && std::filesystem::equivalent(outputs.file, target))
      return;
    writeAtomically(target, [&](const std::filesystem::path& temp) {
      std::filesystem::copy_file(outputs.file, temp,
                                 std::filesystem::copy_options::overwrite_existing);
    });
    return;
  }
  OutputsProvenance provenance;
  provenance.createdUtc = nowUtc();
  provenance.sessionPath = session.sourcePath.string();
  provenance.modelName = outputs.modelName;
  provenance.modelSha256 = outputs.modelSha256;
  provenance.manifestJson = outputs.manifestJson;
  provenance.stride = static_cast<int>(outputs.strideSamples);
  provenance.sampleRateHz = session.sampleRateHz;
  provenance.windowLength =
      static_cast<int>(std::lround(outputs.windowLength_s * session.sampleRateHz));
  provenance.classes = session.classes;
  for (const auto& device : session.devices) provenance.devices.push_back(device.name);
  auto writer = OutputsWriter::create(target, provenance);
  std::vector<OutputColumn> columns;
  const std::string latentPath = outputs.latent.name.empty() ? "latent" : outputs.latent.name;
  const std::string motifPath =
      outputs.motifScores.name.empty() ? "motif_scores" : outputs.motifScores.name;
  const std::string probabilityPath = "derived/probabilities";
  if (!outputs.latent.empty()) columns.push_back(column(latentPath, outputs.latent, "latent"));
  if (!outputs.motifScores.empty())
    columns.push_back(column(motifPath, outputs.motifScores, "motif_scores"));
  if (!outputs.probabilities.empty())
    columns.push_back(column(probabilityPath, outputs.probabilities, "probabilities"));
  BackendInfo info;
  info.name = outputs.backendName.empty() ? "cpu" : outputs.backendName;
  writer.addBackend(info, columns);
  std::vector<WindowInfo> windows(outputs.windowCount());
  for (std::size_t w = 0; w < windows.size(); ++w) {
    windows[w].startTime_s = outputs.windowStart_s[w];
    windows[w].startRow =
        static_cast<std::size_t>(std::llround(outputs.windowStart_s[w] * session.sampleRateHz));
  }
  writer.appendWindows(windows, 0, windows.size());
  const std::size_t rows = windows.size();
  if (!outputs.latent.empty())
    writer.appendValues(info.name, latentPath, outputs.latent.values.data(), rows);
  if (!outputs.motifScores.empty())
    writer.appendValues(info.name, motifPath, outputs.motifScores.values.data(), rows);
  if (!outputs.probabilities.empty())
    writer.appendValues(info.name, probabilityPath, outputs.probabilities.values.data(), rows);
  writer.setAttribute("written_by", "imuwb-gui");
  writer.finish();
}

ModelOutputs loadOutputs(const std::filesystem::path& path, const std::string& wanted) {
  auto file = OutputsFile::open(path);
  const auto backends = file.backends();
  if (backends.empty())
    throw Error(path.string() + ": /backends", "the file holds no backend outputs",
                "write it with `imuwb run` or the workbench's Save outputs");
  const std::string backend = wanted.empty() ? backends.front() : wanted;
  const auto& provenance = file.provenance();
  std::optional<Manifest> manifest;
  if (!provenance.manifestJson.empty()) {
    try {
      manifest = parseManifest(nlohmann::json::parse(provenance.manifestJson), path);
    } catch (const std::exception&) {
      manifest.reset();  // outputs stay readable by shape and name below
    }
  }
  ModelOutputs out;
  out.modelName = provenance.modelName;
  out.modelSha256 = provenance.modelSha256;
  out.manifestJson = provenance.manifestJson;
  out.backendName = backend;
  out.strideSamples = static_cast<std::size_t>(std::max(1, provenance.stride));
  out.windowLength_s = provenance.windowLength / provenance.sampleRateHz;
  out.windowStart_s = file.startTimes();
  out.file = path;
  auto fill = [&](WindowMatrix& target, const std::string& datasetPath,
                  const std::vector<std::string>& names) {
    const auto matrix = file.read(backend, datasetPath);
    target.name = datasetPath;
    target.width = matrix.cols;
    target.values = matrix.values;
    target.columnNames = names;
  };
  for (const auto& dataset : file.datasets(backend)) {
    const bool derived = dataset.rfind("derived/", 0) == 0;
    if (derived) {
      if (dataset.find("probabilit") != std::string::npos && out.probabilities.empty()) {
        const OutputSpec* logits = manifest ? manifest->findRole(OutputRole::Logits) : nullptr;
        std::vector<std::string> names = logits ? logits->names : std::vector<std::string>{};
        if (names.empty() && manifest && manifest->fsq) names = manifest->fsq->classNames;
        fill(out.probabilities, dataset, names);
      }
      continue;
    }
    const OutputSpec* spec = manifest ? manifest->findOutput(dataset) : nullptr;
    if (spec) {
      if (spec->role == OutputRole::Latent && out.latent.empty()) fill(out.latent, dataset, {});
      if (spec->role == OutputRole::MotifScores && out.motifScores.empty())
        fill(out.motifScores, dataset, spec->names);
      continue;
    }
    // No manifest: recognise the contract's outputs by name.
    if (dataset.find("latent") != std::string::npos && out.latent.empty())
      fill(out.latent, dataset, {});
    if (dataset.find("motif") != std::string::npos && out.motifScores.empty())
      fill(out.motifScores, dataset, {});
  }
  // Probability names saved by the workbench are not in a manifest: fall back to the windows'
  // session classes when the count matches.
  if (!out.probabilities.empty() && out.probabilities.columnNames.empty() &&
      provenance.classes.size() == out.probabilities.width)
    out.probabilities.columnNames = provenance.classes;
  return out;
}

}  // namespace imuwb::widgets
