#pragma once
// `parity` as the user asks for it: which two sources (backends by name, or recorded outputs),
// the int8 settings, and the comparison. Builds both sides and runs quant::runParity. The CLI
// (`imuwb parity`) and the GUI (Run > Parity) both map their choices to ParityJobOptions, so
// the two cannot drift apart; the defaults below are the only ones.
#include <filesystem>
#include <map>
#include <string>

#include "analysis/ParityResult.hpp"
#include "common/JobControl.hpp"
#include "jobs/Int8Choices.hpp"
#include "jobs/ReportFiles.hpp"
#include "model/ModelBundle.hpp"
#include "quant/ParityJob.hpp"

namespace imuwb::jobs {

struct ParityJobOptions {
  std::string a = "cpu";   // side A: a backend name or a recording (NPY folder, outputs .h5)
  std::string b = "int8";  // side B: the same
  std::string reference;   // a recording as side A, replacing a (which must then stay "cpu")
  // Registry settings for a backend side (--a-option / --b-option KEY=VALUE), e.g. edgeinfer's
  // url=http://127.0.0.1:9000/infer. Not for int8 (its choices are below) or a recording.
  std::map<std::string, std::string> aSettings;
  std::map<std::string, std::string> bSettings;
  Int8Choices int8;                  // for an int8 side
  int threads = 1;                   // engine threads per backend and for the per-layer analysis
  std::filesystem::path saveParams;  // write the int8 side's quantization parameters here
  quant::ParityOptions compare;      // windows, tolerances, per-layer analysis
  ReportFiles reports;               // report files to write (none by default)
  bool force = false;                // replace existing reports and parameter files
};

using ParityJobResult = analysis::ParityResult;

// True when spec names a recording rather than a backend of the registry: an existing path
// (optionally with ":BACKEND"), anything with a '/', or an .h5 name.
bool isRecordingSpec(const std::string& spec);

// Loads both sides (int8 calibrates here), compares, saves the int8 parameters and writes the
// reports when asked. Before any work, the output-path policy refuses a report or parameter file
// that is an input (model, sessions, windows, calibration, recordings) or another output, or
// that exists without force. Throws imuwb::Error for bad choices or inputs, Cancelled on cancel.
ParityJobResult runParityJob(const ModelBundle& bundle, const ParityJobOptions& options,
                             const JobControl& control = {});

}  // namespace imuwb::jobs
