#include "jobs/JobFiles.hpp"

#include "jobs/ParityJob.hpp"

namespace imuwb::jobs {

std::vector<std::filesystem::path> bundleFiles(const ModelBundle& bundle) {
  std::vector<std::filesystem::path> files{bundle.onnxPath, bundle.manifestPath};
  if (bundle.manifest.fsq) files.push_back(bundle.manifest.fsq->headOnnx);
  return files;
}

std::vector<std::filesystem::path> recordingFiles(const std::string& spec) {
  if (!isRecordingSpec(spec)) return {};
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos) return {spec};
  return {spec, spec.substr(0, colon)};
}

}  // namespace imuwb::jobs
