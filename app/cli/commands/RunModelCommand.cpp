// imuwb run-model: run an ONNX model on .npy windows with the CPU FP32 reference engine, in the
// shape of Polygraphy's `run`. Writes one .npy per output (and per tap) plus summary.json.
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "Commands.hpp"
#include "ThreadsOption.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"

namespace fs = std::filesystem;

namespace imuwb::cli {
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

struct Options {
  std::string model;
  std::vector<std::string> inputs;
  std::string outputDir;
  std::string taps;
  int threads = 1;
  bool force = false;
};

// The output-path policy for --save-outputs DIR: no file it writes may be an --input or the
// model, nor exist already without --force.
void checkSavedOutputs(const Options& options, const std::vector<std::string>& inputFiles,
                       const std::vector<fs::path>& files) {
  OutputPathCheck(options.force)
      .input(options.model, "model")
      .inputs({inputFiles.begin(), inputFiles.end()}, "--input")
      .outputFolder(options.outputDir, files, "--save-outputs")
      .enforce();
}

int runModel(const Options& options, const CliState& state) {
  const auto started = std::chrono::steady_clock::now();
  const engine::OnnxModel model = engine::loadOnnxModel(options.model);
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
  engine::InferenceSession session(model, sessionOptions);

  // Bind input files: NAME=FILE by name, bare FILE to the model inputs in order.
  const auto& infos = session.inputInfos();
  std::vector<std::optional<engine::Tensor>> bound(infos.size());
  std::vector<std::string> boundFiles(infos.size());
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
    boundFiles[index] = file;
  }
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (!bound[i])
      throw Error(
          options.model,
          "no --input given for model input '" + infos[i].name + "' " + infos[i].shapeText(),
          "pass --input " + infos[i].name + "=FILE.npy");
  const std::int64_t windows = bound[0]->rank() ? bound[0]->dim(0) : 0;
  // Refuse early what is known before running; every file name is checked again below.
  if (!options.outputDir.empty()) checkSavedOutputs(options, boundFiles, {"summary.json"});

  // Run in slices so long inputs show progress and can be interrupted.
  JobControl control = jobControl(state, "run-model");
  constexpr std::int64_t kSlice = 4096;
  engine::RunResult total;
  double engineSeconds = 0;
  for (std::int64_t begin = 0; begin < std::max<std::int64_t>(windows, 1); begin += kSlice) {
    control.throwIfCancelled();
    const std::int64_t count = std::min(kSlice, windows - begin);
    std::vector<engine::NamedTensor> inputs;
    for (std::size_t i = 0; i < infos.size(); ++i)
      inputs.push_back({infos[i].name, windows ? slice(*bound[i], begin, count) : *bound[i]});
    engine::RunResult part = session.run(inputs);
    engineSeconds += part.seconds;
    if (begin == 0 && count == windows) {
      total = std::move(part);
    } else {
      auto append = [&](std::vector<engine::NamedTensor>& into,
                        std::vector<engine::NamedTensor>& from) {
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
      };
      append(total.outputs, part.outputs);
      append(total.taps, part.taps);
    }
    control.report(double(begin + count) / std::max<std::int64_t>(windows, 1),
                   std::to_string(begin + count) + "/" + std::to_string(windows) + " windows");
    if (windows == 0) break;
  }

  nlohmann::json summary;
  summary["model"] = options.model;
  summary["model_sha256"] = model.sha256();
  summary["opset"] = model.opset();
  summary["engine"] = "imuwb cpu fp32";
  summary["windows"] = windows;
  summary["threads"] = session.threads();
  summary["batched"] = session.plan().batched;
  if (!session.plan().batchNote.empty()) summary["batch_note"] = session.plan().batchNote;
  summary["engine_seconds"] = engineSeconds;
  summary["windows_per_second"] = engineSeconds > 0 ? windows / engineSeconds : 0.0;
  nlohmann::json inputsJson = nlohmann::json::array();
  for (std::size_t i = 0; i < infos.size(); ++i)
    inputsJson.push_back(
        {{"name", infos[i].name}, {"file", boundFiles[i]}, {"shape", bound[i]->shape()}});
  summary["inputs"] = inputsJson;

  // File names of outputs (beside summary.json) and taps (in taps/), fixed before writing any.
  auto fileNames = [](const std::vector<engine::NamedTensor>& tensors, std::set<std::string> used) {
    std::vector<std::string> names;
    for (const auto& item : tensors) names.push_back(item.name);
    return safeFileNames(names, used);
  };
  const auto outputFiles = fileNames(total.outputs, {"summary.json"});
  const auto tapFiles = fileNames(total.taps, {});
  if (!options.outputDir.empty()) {
    std::vector<fs::path> written{"summary.json"};
    for (const auto& file : outputFiles) written.push_back(file + ".npy");
    for (const auto& file : tapFiles) written.push_back(fs::path("taps") / (file + ".npy"));
    checkSavedOutputs(options, boundFiles, written);
  }
  auto describe = [&](const std::vector<engine::NamedTensor>& tensors,
                      const std::vector<std::string>& files, const std::string& folder) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t k = 0; k < tensors.size(); ++k) {
      nlohmann::json entry{{"name", tensors[k].name},
                           {"shape", tensors[k].tensor.shape()},
                           {"dtype", std::string(engine::dtypeName(tensors[k].tensor.dtype()))}};
      if (!options.outputDir.empty()) {
        const fs::path file = fs::path(folder) / (files[k] + ".npy");
        engine::writeNpyTensor(fs::path(options.outputDir) / file, tensors[k].tensor);
        entry["file"] = file.string();
      }
      list.push_back(entry);
    }
    return list;
  };
  if (!options.outputDir.empty()) {
    fs::create_directories(options.outputDir);
    if (!total.taps.empty()) fs::create_directories(fs::path(options.outputDir) / "taps");
  }
  summary["outputs"] = describe(total.outputs, outputFiles, "");
  summary["taps"] = describe(total.taps, tapFiles, "taps");
  summary["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.outputDir.empty()) {
    const fs::path file = fs::path(options.outputDir) / "summary.json";
    writeAtomically(file, [&](const fs::path& temp) {
      std::ofstream out(temp);
      out << summary.dump(2) << "\n";
      if (!out) throw Error(temp.string(), "could not be written");
    });
  }
  if (state.json) {
    printJson(summary);
  } else {
    std::printf("%s: %lld windows in %.3f s (%.0f windows/s, %d thread%s, %s)\n",
                options.model.c_str(), static_cast<long long>(windows), engineSeconds,
                summary["windows_per_second"].get<double>(), session.threads(),
                session.threads() == 1 ? "" : "s",
                session.plan().batched ? "batched" : "window by window");
    for (const auto& output : summary["outputs"])
      std::printf(
          "  output %s %s%s\n", output["name"].get<std::string>().c_str(),
          output["shape"].dump().c_str(),
          output.contains("file") ? (" -> " + output["file"].get<std::string>()).c_str() : "");
    if (!summary["taps"].empty())
      std::printf("  %zu taps%s\n", summary["taps"].size(),
                  options.outputDir.empty() ? "" : " in taps/");
    if (!session.plan().batchNote.empty())
      std::printf("  note: %s\n", session.plan().batchNote.c_str());
  }
  return kOk;
}

}  // namespace

void addRunModelCommand(CLI::App& root, CliState& state) {
  auto options = std::make_shared<Options>();
  auto* command = root.add_subcommand(
      "run-model", "Run an ONNX model on .npy windows with the CPU FP32 reference engine");
  command->add_option("model", options->model, "The .onnx file")->required();
  command
      ->add_option("--input", options->inputs,
                   "[NAME=]FILE.npy with a leading window dimension N (repeatable)")
      ->required();
  command->add_option("--save-outputs", options->outputDir,
                      "Folder for <output>.npy, taps/<tap>.npy and summary.json");
  command->add_option("--taps", options->taps,
                      "Intermediate tensors to capture: 'all' or comma-separated ONNX names");
  command->add_option("--threads", options->threads, "Worker threads (0 = all cores)")
      ->check(threadCountCheck());
  command->add_flag("--force", options->force, "Replace files that --save-outputs would overwrite");
  command->callback(
      [options, &state] { runGuarded(state, [&] { return runModel(*options, state); }); });
}

}  // namespace imuwb::cli
