#pragma once
// A model bundle: an ONNX graph plus its manifest, checked against each other.
// On disk it is a folder (manifest.json + the .onnx it names), an .onnx with a .json beside it
// (<stem>.json, <stem>.manifest.json, manifest.json or the pipeline's model_config.json), or
// the manifest .json itself.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/OnnxModel.hpp"
#include "model/Manifest.hpp"

namespace imuwb {

struct ModelBundle {
  std::filesystem::path onnxPath;
  std::filesystem::path manifestPath;  // empty when the manifest was inferred from the graph
  bool manifestInferred = false;       // true: no manifest on disk (only with allowMissing)
  Manifest manifest;
  std::shared_ptr<const engine::OnnxModel> model;
  std::shared_ptr<const engine::OnnxModel> fsqHead;  // host-side head, when manifest.fsq names one

  const std::string& sha256() const { return model->sha256(); }  // of the .onnx bytes
  const std::string& displayName() const { return manifest.name; }
};

struct BundleLoadOptions {
  // true: a bare .onnx without a manifest loads with a manifest inferred from the graph
  // (normalization absent). `imuwb check` uses this and reports the missing contract.
  bool allowMissingManifest = false;
};

// Throws imuwb::Error: no such path, no ONNX / no manifest found, manifest errors, and any
// manifest-vs-graph mismatch (all differences listed in one message).
ModelBundle loadModelBundle(const std::filesystem::path& path,
                            const BundleLoadOptions& options = {});

// The manifest that belongs to an .onnx, or empty when none is found beside it.
std::filesystem::path findManifestFor(const std::filesystem::path& onnxPath);

// Every difference between what the manifest declares and what the graph has: input name,
// rank, dims (incl. channel count and window length vs layout), output names and sizes.
// Empty when they agree.
std::vector<std::string> manifestGraphMismatches(const Manifest& manifest,
                                                 const engine::OnnxModel& model);

// A best-effort manifest for a graph without one: first input, layout guessed from its shape,
// output roles guessed from names and shapes (inferOutputRole); normalization.present = false.
Manifest inferManifestFromGraph(const engine::OnnxModel& model);

}  // namespace imuwb
