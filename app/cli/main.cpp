// imuwb: the headless IMU Model Workbench. A thin shell over core jobs.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "Commands.hpp"
#include "common/BuildInfo.hpp"
#include "io/Hdf5CloseState.hpp"

int main(int argc, char** argv) {
  using namespace imuwb::cli;
  // First, before any thread exists: Ctrl-C/SIGTERM become a stop request for the running job.
  const StopSignals stopSignals;
  CLI::App root{"imuwb: IMU Model Workbench (headless). Sessions, models, parity and calibration."};
  root.set_version_flag("--version", std::string("imuwb ") + imuwb::build_info::kVersion);
  root.require_subcommand(1);
  root.fallthrough();  // lets --json come after the subcommand too
  CliState state;
  state.signals = &stopSignals;
  root.add_flag("--json", state.json, "Machine-readable JSON on stdout");

  addVersionCommand(root, state);
  addRunModelCommand(root, state);
  addParityCommand(root, state);
  addDriftCommand(root, state);
  addEvaluateCommand(root, state);
  addCalibExportCommand(root, state);
  addInfoCommand(root, state);
  addImportCommand(root, state);
  addResampleCommand(root, state);
  addLabelsCommand(root, state);
  addGenerateCommand(root, state);
  addRunCommand(root, state);
  addCheckCommand(root, state);
  addConvertCommand(root, state);
  addServeCommand(root, state);
  addBenchCommand(root, state);
  addReportCommand(root, state);

  // Remember which subcommand runs so messages (e.g. on Ctrl-C) can name it.
  for (CLI::App* command : root.get_subcommands({}))
    command->preparse_callback(
        [&state, command](std::size_t) { state.command = command->get_name(); });

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = root.exit(error);
    return code == 0 ? kOk : kUsageOrIo;
  }
  // HDF5 could not close a file (the disk filled during its final flush): its exit handler
  // would touch the freed file and crash, so leave without running exit handlers. The error
  // was reported and the temporary file removed already.
  if (imuwb::hdf5::closeFailed()) {
    std::fflush(nullptr);
    ::_exit(state.exitCode);
  }
  return state.exitCode;
}
