#include "jobs/RunModelJob.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <optional>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"

namespace fs = std::filesystem;

namespace imuwb::jobs {
namespace {

// Tensor names become file names: every character outside [A-Za-z0-9._-] becomes '_', a
// leading '.' or '-' becomes '_', an empty result becomes "tensor", and names that collide
// after this get "_2", "_3", ... in model order.
std::vector<std::string> safeFileNames(const std::vector<std::string>& names,
                                       std::set<std::string>& used) {
  std::vector<std::string> result;
  for (const auto& name : names) {
    std::string safe;
    for (char c : name)
      safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')
                  ? c
                  : '_';
    if (safe.empty()) safe = "tensor";
    if (safe[0] == '.' || safe[0] == '-') safe[0] = '_';
    std::string candidate = safe;
    for (int k = 2; used.count(candidate); ++k) candidate = safe + "_" + std::to_string(k);
    used.insert(candidate);
    result.push_back(candidate);
  }
  return result;
}

engine::Tensor slice(const engine::Tensor& tensor, std::int64_t begin, std::int64_t count) {
  if (begin == 0 && count == tensor.dim(0)) return tensor;
  return tensor.sliceLeading(begin, count);
}

engine::SessionOptions sessionOptionsFor(const RunModelJobOptions& options) {
  engine::SessionOptions sessionOptions;
  sessionOptions.threads = options.threads;
  if (options.taps == "all") {
    sessionOptions.tapAll = true;
  } else if (!options.taps.empty()) {
    std::string current;
    for (char c : options.taps + ",") {
      if (c == ',') {
        if (!current.empty()) sessionOptions.taps.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
  }
  return sessionOptions;
}

struct BoundInputs {
  std::vector<engine::Tensor> tensors;  // per model input, in model order
  std::vector<std::string> files;
};

// Binds input files: NAME=FILE by name, bare FILE to the model inputs in order.
BoundInputs bindInputs(const RunModelJobOptions& options,
                       const std::vector<engine::ValueInfo>& infos) {
  std::vector<std::optional<engine::Tensor>> bound(infos.size());
  BoundInputs result;
  result.files.resize(infos.size());
  std::size_t nextPositional = 0;
  for (const auto& spec : options.inputs) {
    std::string name, file = spec;
    const auto eq = spec.find('=');
    if (eq != std::string::npos && !fs::exists(spec)) {
      name = spec.substr(0, eq);
      file = spec.substr(eq + 1);
    }
    std::size_t index = infos.size();
    if (name.empty()) {
      while (nextPositional < infos.size() && bound[nextPositional]) ++nextPositional;
      index = nextPositional;
      if (index >= infos.size())
        throw Error("--input " + spec, "more input files than model inputs",
                    "the model takes " + std::to_string(infos.size()) + " input(s)");
    } else {
      for (std::size_t i = 0; i < infos.size(); ++i)
        if (infos[i].name == name) index = i;
      if (index >= infos.size()) {
        std::string names;
        for (const auto& info : infos) names += (names.empty() ? "" : ", ") + info.name;
        throw Error("--input " + spec, "the model has no input named '" + name + "'",
                    "its inputs are: " + names);
      }
    }
    engine::Tensor tensor = infos[index].dtype == engine::DType::Float32
                                ? engine::readNpyAsFloat32(file)
                                : engine::readNpyTensor(file);
    if (tensor.dtype() != infos[index].dtype)
      throw Error(file, "holds " + std::string(engine::dtypeName(tensor.dtype())) + ", input '" +
                            infos[index].name + "' takes " +
                            std::string(engine::dtypeName(infos[index].dtype)));
    if (infos[index].shapeKnown && tensor.rank() + 1 == infos[index].shape.size())
      throw Error(file,
                  "has shape " + engine::shapeToString(tensor.shape()) + " but input '" +
                      infos[index].name + "' is " + infos[index].shapeText() + " per window",
                  "add a leading window dimension N (np.expand_dims(x, 0) for one window)");
    bound[index] = std::move(tensor);
    result.files[index] = file;
  }
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (!bound[i])
      throw Error(
          options.model.string(),
          "no --input given for model input '" + infos[i].name + "' " + infos[i].shapeText(),
          "pass --input " + infos[i].name + "=FILE.npy");
    result.tensors.push_back(std::move(*bound[i]));
  }
  return result;
}

// Copies one slice's tensors into the whole run's, allocating them on the first slice.
void appendSlice(std::vector<engine::NamedTensor>& into, std::vector<engine::NamedTensor>& from,
                 std::int64_t begin, std::int64_t count, std::int64_t windows) {
  if (into.empty()) {
    for (auto& item : from) {
      engine::Shape shape = item.tensor.shape();
      shape[0] = windows;
      into.push_back({item.name, engine::Tensor(item.tensor.dtype(), shape)});
    }
  }
  for (std::size_t k = 0; k < from.size(); ++k) {
    const std::size_t rowBytes = from[k].tensor.byteSize() / std::max<std::int64_t>(count, 1);
    std::memcpy(static_cast<std::byte*>(into[k].tensor.raw()) + begin * rowBytes,
                from[k].tensor.raw(), from[k].tensor.byteSize());
  }
}

// Runs N windows in slices so long inputs show progress and can be interrupted; inputs that run
// as declared go through in one call (a slice would change what the model computes).
engine::RunResult runSliced(engine::InferenceSession& session, const BoundInputs& inputs,
                            std::int64_t windows, std::int64_t sliceWindows,
                            const JobControl& control, double& engineSeconds) {
  const auto& infos = session.inputInfos();
  std::vector<const engine::Tensor*> given;
  for (const auto& tensor : inputs.tensors) given.push_back(&tensor);
  if (session.runModeFor(given) == engine::RunMode::AsDeclared) sliceWindows = windows;
  const auto& windowed = session.windowedInputs();
  const std::int64_t slice_ = std::max<std::int64_t>(sliceWindows, 1);
  engine::RunResult total;
  for (std::int64_t begin = 0; begin < std::max<std::int64_t>(windows, 1); begin += slice_) {
    control.throwIfCancelled();
    const std::int64_t count = std::min(slice_, windows - begin);
    std::vector<engine::NamedTensor> named;
    for (std::size_t i = 0; i < infos.size(); ++i)
      named.push_back({infos[i].name, windows && windowed[i]
                                          ? slice(inputs.tensors[i], begin, count)
                                          : inputs.tensors[i]});
    engine::RunResult part = session.run(named);
    engineSeconds += part.seconds;
    if (begin == 0 && count >= windows) {
      total = std::move(part);
    } else {
      appendSlice(total.outputs, part.outputs, begin, count, windows);
      appendSlice(total.taps, part.taps, begin, count, windows);
    }
    control.report(double(begin + count) / std::max<std::int64_t>(windows, 1),
                   std::to_string(begin + count) + "/" + std::to_string(windows) + " windows");
    if (windows == 0) break;
  }
  return total;
}

// The safe file names of tensors (without .npy), unique among themselves and `used`.
std::vector<std::string> fileNamesOf(const std::vector<engine::NamedTensor>& tensors,
                                     std::set<std::string> used) {
  std::vector<std::string> names;
  for (const auto& item : tensors) names.push_back(item.name);
  return safeFileNames(names, used);
}

// The output-path policy (common/OutputPaths.hpp) for outputDir: no file it writes may be an
// --input or the model, nor exist already without --force.
void checkSavedOutputs(const RunModelJobOptions& options, const std::vector<std::string>& inputs,
                       const std::vector<fs::path>& files) {
  OutputPathCheck(options.force)
      .input(options.model, "model")
      .inputs({inputs.begin(), inputs.end()}, "--input")
      .outputFolder(options.outputDir, files, "--save-outputs")
      .enforce();
}

// Lists tensors for summary.json, writing each as <folder>/<safe name>.npy when saving.
nlohmann::json describeTensors(const std::vector<engine::NamedTensor>& tensors,
                               const fs::path& outputDir, const std::string& folder,
                               const std::vector<std::string>& files) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t k = 0; k < tensors.size(); ++k) {
    nlohmann::json entry{{"name", tensors[k].name},
                         {"shape", tensors[k].tensor.shape()},
                         {"dtype", std::string(engine::dtypeName(tensors[k].tensor.dtype()))}};
    if (!outputDir.empty()) {
      const fs::path file = fs::path(folder) / (files[k] + ".npy");
      engine::writeNpyTensor(outputDir / file, tensors[k].tensor);
      entry["file"] = file.string();
    }
    list.push_back(entry);
  }
  return list;
}

}  // namespace

RunModelJobResult runRunModelJob(const RunModelJobOptions& options, const JobControl& control) {
  const auto started = std::chrono::steady_clock::now();
  const engine::OnnxModel model = engine::loadOnnxModel(options.model);
  engine::InferenceSession session(model, sessionOptionsFor(options));
  const auto& infos = session.inputInfos();
  const BoundInputs inputs = bindInputs(options, infos);
  // N: the leading dim of the first windowed input (one pass for a model without any).
  std::int64_t windows = 1;
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (session.windowedInputs()[i]) {
      windows = inputs.tensors[i].dim(0);
      break;
    }
  // Refuse early what is known before running; every file name is checked again below.
  if (!options.outputDir.empty()) checkSavedOutputs(options, inputs.files, {"summary.json"});

  RunModelJobResult result;
  engine::RunResult total =
      runSliced(session, inputs, windows, options.sliceWindows, control, result.engineSeconds);
  result.windows = windows;
  result.threads = session.threads();
  result.batched = session.plan().batched;
  result.mode = std::string(engine::runModeName(total.mode));
  result.batchNote = session.plan().batchNote;
  result.windowsPerSecond = result.engineSeconds > 0 ? windows / result.engineSeconds : 0.0;

  nlohmann::json& summary = result.summary;
  summary["model"] = options.model.string();
  summary["model_sha256"] = model.sha256();
  summary["opset"] = model.opset();
  summary["engine"] = "imuwb cpu fp32";
  summary["windows"] = windows;
  summary["threads"] = result.threads;
  summary["batched"] = result.batched;
  summary["mode"] = result.mode;
  if (!result.batchNote.empty()) summary["batch_note"] = result.batchNote;
  summary["engine_seconds"] = result.engineSeconds;
  summary["windows_per_second"] = result.windowsPerSecond;
  nlohmann::json inputsJson = nlohmann::json::array();
  for (std::size_t i = 0; i < infos.size(); ++i)
    inputsJson.push_back(
        {{"name", infos[i].name}, {"file", inputs.files[i]}, {"shape", inputs.tensors[i].shape()}});
  summary["inputs"] = inputsJson;

  // File names of outputs (beside summary.json) and taps (in taps/), fixed before writing any.
  const auto outputFiles = fileNamesOf(total.outputs, {"summary.json"});
  const auto tapFiles = fileNamesOf(total.taps, {});
  if (!options.outputDir.empty()) {
    std::vector<fs::path> written{"summary.json"};
    for (const auto& file : outputFiles) written.push_back(file + ".npy");
    for (const auto& file : tapFiles) written.push_back(fs::path("taps") / (file + ".npy"));
    checkSavedOutputs(options, inputs.files, written);
    fs::create_directories(options.outputDir);
    if (!total.taps.empty()) fs::create_directories(options.outputDir / "taps");
  }
  summary["outputs"] = describeTensors(total.outputs, options.outputDir, "", outputFiles);
  summary["taps"] = describeTensors(total.taps, options.outputDir, "taps", tapFiles);
  summary["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.outputDir.empty()) {
    // Closed, then checked: a disk that fills on the last flush is an error, not an empty file.
    writeTextAtomically(options.outputDir / "summary.json", summary.dump(2) + "\n", "the summary");
  }
  return result;
}

}  // namespace imuwb::jobs
