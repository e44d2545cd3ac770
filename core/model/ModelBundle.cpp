#include "model/ModelBundle.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "model/OutputRoleInference.hpp"

namespace imuwb {
namespace fs = std::filesystem;
namespace {

std::string joinLines(const std::vector<std::string>& lines) {
  std::ostringstream text;
  for (std::size_t i = 0; i < lines.size(); ++i) text << (i ? "; " : "") << lines[i];
  return text.str();
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::ostringstream text;
  text << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text << (i ? "," : "") << shape[i];
  text << "]";
  return text.str();
}

const engine::ValueInfo* findValue(const std::vector<engine::ValueInfo>& values,
                                   const std::string& name) {
  for (const auto& value : values)
    if (value.name == name) return &value;
  return nullptr;
}

// The manifest's JSON reads "onnx" (or legacy files.onnx_model); if the folder holds exactly
// one .onnx besides the head, that one is meant.
fs::path onnxForManifest(const Manifest& manifest, const fs::path& manifestPath) {
  const fs::path folder = manifestPath.parent_path();
  if (!manifest.onnxFile.empty()) {
    fs::path candidate = folder / manifest.onnxFile;
    if (!fs::exists(candidate))
      throw Error(manifestPath.string() + ": onnx",
                  "names '" + manifest.onnxFile + "' but " + candidate.string() + " does not exist",
                  "put the .onnx beside the manifest or fix the file name");
    return candidate;
  }
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder.empty() ? fs::path(".") : folder)) {
    if (entry.path().extension() != ".onnx") continue;
    if (manifest.fsq && entry.path().filename() == manifest.fsq->headOnnx.filename()) continue;
    found.push_back(entry.path());
  }
  if (found.size() == 1) return found.front();
  throw Error(manifestPath.string(),
              found.empty() ? "no .onnx file beside the manifest"
                            : "several .onnx files beside the manifest and none is named",
              "add \"onnx\": \"<file>.onnx\" to the manifest");
}

void resolveNamesFromGraph(Manifest& manifest, const engine::OnnxModel& model) {
  // Legacy configs do not name the input; a single-input graph leaves no doubt.
  if (manifest.input.name.empty() && model.inputs().size() == 1)
    manifest.input.name = model.inputs().front().name;
  if (manifest.name.empty()) manifest.name = model.path().stem().string();
}

}  // namespace

fs::path findManifestFor(const fs::path& onnxPath) {
  const fs::path folder = onnxPath.parent_path();
  const std::string stem = onnxPath.stem().string();
  for (const auto& name : {stem + ".json", stem + ".manifest.json", std::string("manifest.json")}) {
    fs::path candidate = folder / name;
    if (fs::exists(candidate)) return candidate;
  }
  // The pipeline's export record names the .onnx it describes.
  fs::path legacy = folder / "model_config.json";
  if (fs::exists(legacy)) {
    try {
      // Bounded like every JSON read: a deeply nested config must not overflow the stack here.
      const auto document = loadJsonFile(legacy, "model_config.json");
      auto file = document.value("/files/onnx_model"_json_pointer, std::string());
      if (file.empty() || file == onnxPath.filename().string()) return legacy;
    } catch (const std::exception&) {
      return legacy;  // let loadManifest report the syntax error with the right place
    }
  }
  return {};
}

std::vector<std::string> manifestGraphMismatches(const Manifest& manifest,
                                                 const engine::OnnxModel& model) {
  std::vector<std::string> differences;
  const auto* input = findValue(model.inputs(), manifest.input.name);
  if (!input) {
    std::string names;
    for (const auto& value : model.inputs())
      names += (names.empty() ? "'" : ", '") + value.name + "'";
    differences.push_back("input '" + manifest.input.name + "' is not a graph input (graph has " +
                          (names.empty() ? std::string("none") : names) + ")");
  } else if (input->shapeKnown) {
    const auto& want = manifest.input.shape;
    if (input->shape.size() != want.size()) {
      differences.push_back("input '" + input->name + "' has rank " +
                            std::to_string(input->shape.size()) + " " + input->shapeText() +
                            " in the graph, manifest says " + shapeText(want));
    } else {
      for (std::size_t axis = 0; axis < want.size(); ++axis) {
        const auto& dim = input->shape[axis];
        if (!dim.fixed()) continue;  // dynamic dims are the contract checker's business
        if (dim.value != want[axis]) {
          std::string what = "dim " + std::to_string(axis);
          const auto layout = manifest.input.layout;
          const bool channelAxis =
              (layout == InputLayout::NTC && axis == 2) ||
              (layout == InputLayout::NHWC_devices && axis == 3) ||
              ((layout == InputLayout::NCHW_devices || layout == InputLayout::NCHW_time_folded) &&
               axis == 1);
          if (channelAxis) what = "channel count (dim " + std::to_string(axis) + ")";
          differences.push_back("input '" + input->name + "' " + what + " is " +
                                std::to_string(dim.value) + " in the graph " + input->shapeText() +
                                ", manifest says " + std::to_string(want[axis]) + " " +
                                shapeText(want));
        }
      }
    }
  }
  for (const auto& output : manifest.outputs) {
    const auto* value = findValue(model.outputs(), output.name);
    if (!value) {
      std::string names;
      for (const auto& graphOutput : model.outputs())
        names += (names.empty() ? "'" : ", '") + graphOutput.name + "'";
      differences.push_back("output '" + output.name + "' is not a graph output (graph has " +
                            (names.empty() ? std::string("none") : names) + ")");
      continue;
    }
    if (!value->shapeKnown || value->shape.empty()) continue;
    std::int64_t perWindow = 1;
    bool known = true;
    for (std::size_t axis = 1; axis < value->shape.size(); ++axis) {
      if (!value->shape[axis].fixed())
        known = false;
      else
        perWindow *= value->shape[axis].value;
    }
    if (value->shape.size() == 1 && value->shape[0].fixed()) perWindow = value->shape[0].value;
    if (known && perWindow != output.size)
      differences.push_back("output '" + output.name + "' has " + std::to_string(perWindow) +
                            " values per window in the graph " + value->shapeText() +
                            ", manifest says size " + std::to_string(output.size));
  }
  return differences;
}

Manifest inferManifestFromGraph(const engine::OnnxModel& model) {
  Manifest manifest;
  manifest.name = model.path().stem().string();
  if (model.inputs().empty())
    throw Error(model.path().string(), "the graph has no inputs", "export the model with an input");
  const auto& input = model.inputs().front();
  manifest.input.name = input.name;
  std::vector<std::int64_t> shape;
  for (const auto& dim : input.shape) shape.push_back(dim.fixed() ? dim.value : 1);
  if (shape.empty()) shape = {1, kContractWindowLength, kChannelCount};
  shape[0] = 1;
  // The graph's dims are bounded by the tensor_elements limit, but one axis alone could still
  // claim millions of devices or samples; a guess is only made for plausible shapes.
  constexpr std::int64_t kMaxInferredDevices = 64;
  // A channel axis of 9 (ax..mz) or 6 (ax..gz, a model without a magnetometer).
  const bool deviceAxisH = shape.size() == 4 && isDeviceChannelCount(shape[1]);
  const bool deviceAxisN = shape.size() == 4 && !deviceAxisH && isDeviceChannelCount(shape[3]);
  const bool channelsLast = shape.size() == 3 && isDeviceChannelCount(shape[2]);
  const std::int64_t channels = deviceAxisH    ? shape[1]
                                : deviceAxisN  ? shape[3]
                                : channelsLast ? shape[2]
                                               : kChannelCount;
  manifest.input.channelOrder = contractChannelOrder(static_cast<int>(channels));
  const std::int64_t devices = deviceAxisH ? shape[2] : deviceAxisN ? shape[1] : 1;
  std::int64_t longest = 1;
  for (auto dim : shape) longest = std::max(longest, dim);
  if (devices > kMaxInferredDevices || longest > kMaxWindowLength)
    throw Error(model.path().string() + ": input '" + input.name + "'",
                "shape " + input.shapeText() + " is too large to guess a manifest from",
                "write a manifest (docs/manifest.md) beside the model");
  manifest.input.shape = shape;
  if (deviceAxisH) {
    const bool folded =
        shape[2] * shape[3] == kContractWindowLength && shape[3] != kContractWindowLength;
    manifest.input.layout = folded ? InputLayout::NCHW_time_folded : InputLayout::NCHW_devices;
    manifest.input.windowLength = static_cast<int>(folded ? shape[2] * shape[3] : shape[3]);
    if (!folded)
      for (std::int64_t h = 0; h < shape[2]; ++h)
        manifest.input.devices.push_back("device" + std::to_string(h));
  } else if (deviceAxisN) {
    manifest.input.layout = InputLayout::NHWC_devices;
    manifest.input.windowLength = static_cast<int>(shape[2]);
    for (std::int64_t h = 0; h < shape[1]; ++h)
      manifest.input.devices.push_back("device" + std::to_string(h));
  } else {
    manifest.input.layout = InputLayout::NTC;
    manifest.input.windowLength =
        shape.size() >= 2 ? static_cast<int>(shape[1]) : kContractWindowLength;
  }
  for (const auto& output : model.outputs()) {
    OutputSpec spec;
    spec.name = output.name;
    std::vector<std::int64_t> dims;
    for (const auto& dim : output.shape) dims.push_back(dim.fixed() ? dim.value : -1);
    spec.role = inferOutputRole(output.name, dims).role;
    std::int64_t size = 1;
    for (std::size_t axis = output.shape.size() > 1 ? 1 : 0; axis < output.shape.size(); ++axis)
      size *= output.shape[axis].fixed() ? output.shape[axis].value : 1;
    spec.size = static_cast<int>(size);
    manifest.outputs.push_back(spec);
  }
  return manifest;
}

ModelBundle loadModelBundle(const fs::path& path, const BundleLoadOptions& options) {
  if (!fs::exists(path))
    throw Error(path.string(), "no such file or folder",
                "give a bundle folder, an .onnx or a manifest .json");
  ModelBundle bundle;
  if (fs::is_directory(path)) {
    fs::path manifestPath = path / "manifest.json";
    if (!fs::exists(manifestPath))
      manifestPath =
          fs::exists(path / "model_config.json") ? path / "model_config.json" : fs::path();
    if (manifestPath.empty()) {
      std::vector<fs::path> onnx;
      for (const auto& entry : fs::directory_iterator(path))
        if (entry.path().extension() == ".onnx") onnx.push_back(entry.path());
      if (onnx.size() == 1) return loadModelBundle(onnx.front(), options);
      throw Error(path.string(), "the folder has no manifest.json",
                  "add manifest.json (docs/manifest.md) beside the .onnx");
    }
    bundle.manifestPath = manifestPath;
  } else if (path.extension() == ".json") {
    bundle.manifestPath = path;
  } else if (path.extension() == ".onnx") {
    bundle.onnxPath = path;
    bundle.manifestPath = findManifestFor(path);
    if (bundle.manifestPath.empty() && !options.allowMissingManifest)
      throw Error(path.string(),
                  "no manifest beside the model (looked for " + path.stem().string() +
                      ".json, manifest.json, model_config.json)",
                  "write a manifest (docs/manifest.md) next to the .onnx");
  } else {
    throw Error(path.string(), "not a bundle: expected a folder, an .onnx or a manifest .json");
  }

  if (!bundle.manifestPath.empty()) {
    bundle.manifest = loadManifest(bundle.manifestPath);
    if (bundle.onnxPath.empty())
      bundle.onnxPath = onnxForManifest(bundle.manifest, bundle.manifestPath);
  }
  bundle.model = std::make_shared<engine::OnnxModel>(engine::loadOnnxModel(bundle.onnxPath));
  if (bundle.manifestPath.empty()) {
    bundle.manifest = inferManifestFromGraph(*bundle.model);
    bundle.manifestInferred = true;
    return bundle;
  }
  resolveNamesFromGraph(bundle.manifest, *bundle.model);
  const auto differences = manifestGraphMismatches(bundle.manifest, *bundle.model);
  if (!differences.empty())
    throw Error(bundle.manifestPath.string() + " vs " + bundle.onnxPath.filename().string(),
                "manifest and graph disagree: " + joinLines(differences),
                "re-export the manifest from the same model, or fix the listed fields");
  if (bundle.manifest.fsq && !bundle.manifest.fsq->headOnnx.empty()) {
    auto head = bundle.manifest.fsq->headOnnx;
    if (head.is_relative()) head = bundle.manifestPath.parent_path() / head;
    if (!fs::exists(head))
      throw Error(bundle.manifestPath.string() + ": fsq.head_onnx",
                  "host-side head " + head.string() + " does not exist",
                  "put the head .onnx beside the manifest");
    bundle.manifest.fsq->headOnnx = head;
    bundle.fsqHead = std::make_shared<engine::OnnxModel>(engine::loadOnnxModel(head));
  }
  return bundle;
}

}  // namespace imuwb
