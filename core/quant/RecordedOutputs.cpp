#include "quant/RecordedOutputs.hpp"

#include <cmath>

#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"

namespace imuwb::quant {
namespace fs = std::filesystem;

namespace {

std::string sanitized(std::string name) {
  for (char& c : name)
    if (c == '/' || c == ':' || c == '\\') c = '_';
  return name;
}

void checkMatrix(const OutputMatrix& m, const OutputSpec& spec, const std::string& where) {
  if (m.cols != static_cast<std::size_t>(spec.size))
    throw Error(where,
                "output '" + spec.name + "' has " + std::to_string(m.cols) +
                    " values per window, the manifest says " + std::to_string(spec.size),
                "record the outputs of this model (manifest " + spec.name + ")");
  for (float v : m.values)
    if (!std::isfinite(v))
      throw Error(where, "output '" + spec.name + "' holds NaN or infinite values",
                  "re-record the outputs");
}

RecordedOutputs fromNpyFolder(const fs::path& dir, const Manifest& manifest) {
  RecordedOutputs r;
  r.label = "recorded:" + dir.filename().string();
  r.detail = "NPY folder " + dir.string();
  for (const auto& spec : manifest.outputs) {
    fs::path file = dir / (spec.name + ".npy");
    if (!fs::exists(file)) file = dir / (sanitized(spec.name) + ".npy");
    if (!fs::exists(file)) {
      std::string found;
      for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".npy")
          found += (found.empty() ? "" : ", ") + entry.path().filename().string();
      throw Error(dir.string(), "no " + spec.name + ".npy for manifest output '" + spec.name + "'",
                  "save one [W, D] .npy per output; found: " + (found.empty() ? "none" : found));
    }
    const auto tensor = engine::readNpyAsFloat32(file);
    if (tensor.rank() < 1 || tensor.dim(0) == 0)
      throw Error(file.string(),
                  "expected [W, D] with W > 0, found " + engine::shapeToString(tensor.shape()),
                  "save the outputs with the window index first");
    OutputMatrix m;
    m.rows = static_cast<std::size_t>(tensor.dim(0));
    m.cols = static_cast<std::size_t>(tensor.elementCount()) / m.rows;
    const auto values = tensor.floats();
    m.values.assign(values.begin(), values.end());
    checkMatrix(m, spec, file.string());
    if (r.windows != 0 && m.rows != r.windows)
      throw Error(
          file.string(),
          std::to_string(m.rows) + " windows, but other outputs have " + std::to_string(r.windows),
          "every output file must cover the same windows");
    r.windows = m.rows;
    r.outputs[spec.name] = std::move(m);
  }
  const fs::path times = dir / "window_start_time_s.npy";
  if (fs::exists(times)) {
    const auto t = engine::readNpyAsFloat32(times);
    if (static_cast<std::size_t>(t.elementCount()) != r.windows)
      throw Error(times.string(),
                  "has " + std::to_string(t.elementCount()) + " times for " +
                      std::to_string(r.windows) + " windows",
                  "save one start time per window");
    for (float v : t.floats()) r.startTime_s.push_back(v);
  }
  return r;
}

RecordedOutputs fromOutputsFile(const fs::path& file, const std::string& backend_choice,
                                const Manifest& manifest) {
  const auto outputs = OutputsFile::open(file);
  const auto backends = outputs.backends();
  std::string backend = backend_choice;
  std::string known;
  for (const auto& b : backends) known += (known.empty() ? "" : ", ") + b;
  if (backend.empty()) {
    if (backends.size() != 1)
      throw Error(file.string(),
                  "the file holds " + std::to_string(backends.size()) + " backends (" + known + ")",
                  "choose one with " + file.string() + ":BACKEND");
    backend = backends.front();
  } else if (std::find(backends.begin(), backends.end(), backend) == backends.end()) {
    throw Error(file.string(), "no backend '" + backend + "' in the file",
                "use one of: " + (known.empty() ? std::string("(none)") : known));
  }
  RecordedOutputs r;
  r.label = "recorded:" + file.filename().string() + ":" + backend;
  r.detail = "outputs HDF5 " + file.string() + ", backend " + backend + ", model sha256 " +
             outputs.provenance().modelSha256.substr(0, 12);
  r.windows = outputs.windowCount();
  r.startTime_s = outputs.startTimes();
  r.startIndex = outputs.startIndices();
  const auto datasets = outputs.datasets(backend);
  for (const auto& spec : manifest.outputs) {
    if (std::find(datasets.begin(), datasets.end(), spec.name) == datasets.end())
      throw Error(file.string() + ":/backends/" + backend,
                  "no dataset for manifest output '" + spec.name + "'",
                  "record the outputs with this model's manifest");
    auto m = outputs.read(backend, spec.name);
    checkMatrix(m, spec, file.string() + ":/backends/" + backend + "/" + spec.name);
    r.outputs[spec.name] = std::move(m);
  }
  return r;
}

}  // namespace

RecordedOutputs loadRecordedOutputs(const std::string& path_spec, const Manifest& manifest) {
  fs::path path = path_spec;
  std::string backend;
  if (!fs::exists(path)) {
    // FILE.h5:BACKEND
    const auto colon = path_spec.rfind(':');
    if (colon != std::string::npos && fs::exists(path_spec.substr(0, colon))) {
      path = path_spec.substr(0, colon);
      backend = path_spec.substr(colon + 1);
    } else {
      throw Error(path_spec, "no such file or folder",
                  "give an NPY folder of outputs or an outputs .h5 from `imuwb run`");
    }
  }
  if (fs::is_directory(path)) return fromNpyFolder(path, manifest);
  return fromOutputsFile(path, backend, manifest);
}

}  // namespace imuwb::quant
