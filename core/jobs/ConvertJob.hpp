#pragma once
// `imuwb convert --to hailo8`: rewrite an ONNX model into the Hailo-8-compatible form
// (convert/), prove the result computes the same function on the CPU engine, and only then
// write it (atomically) with a manifest beside it that describes the new input layout.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "convert/Convert.hpp"
#include "convert/Equivalence.hpp"

namespace imuwb::jobs {

struct ConvertJobOptions {
  std::filesystem::path model;   // the .onnx (or a bundle); a manifest beside it is optional
  std::filesystem::path output;  // the converted .onnx; never the input
  std::string target = "hailo8";
  convert::ConvertOptions convert;
  std::filesystem::path report;   // convert.json (also written when the proof fails); empty = none
  std::filesystem::path session;  // windows for the proof; empty = generated windows
  std::vector<std::string> devices;  // session device per H index (as `run`); empty = the model's
  std::size_t windows = 64;          // windows run through both models
  int threads = 1;                   // 0 = all cores
  bool force = false;                // replace outputs that exist already (common/OutputPaths.hpp)

  bool operator==(const ConvertJobOptions&) const = default;
};

struct ConvertJobResult {
  convert::ConvertLog log;
  convert::EquivalenceReport proof;
  bool written = false;            // false: the proof failed, nothing was written
  std::filesystem::path manifest;  // written beside the output; empty when none
  std::string manifestNote;        // why no manifest was written
  std::vector<Finding> remaining;  // Hailo blockers the rewrites target, still present
  nlohmann::json report;           // what --report holds
  bool passed() const { return written; }
};

// The manifest path written beside a converted model: <stem>.json (found by findManifestFor).
std::filesystem::path convertedManifestPath(const std::filesystem::path& output);

// Throws imuwb::Error (unreadable model or session, unknown target, an output that is an input
// or exists without force, a rewrite the loader rejects) or Cancelled. A failed proof is not an
// error: the result says so and nothing but the report is written.
ConvertJobResult runConvertJob(const ConvertJobOptions& options, const JobControl& control = {});

}  // namespace imuwb::jobs
