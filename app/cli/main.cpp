// imuwb: the headless IMU Model Workbench. A thin shell over core jobs.
#include <CLI/CLI.hpp>

#include "Commands.hpp"
#include "common/BuildInfo.hpp"

int main(int argc, char** argv) {
  using namespace imuwb::cli;
  CLI::App root{"imuwb: IMU Model Workbench (headless). Sessions, models, parity and calibration."};
  root.set_version_flag("--version", std::string("imuwb ") + imuwb::build_info::kVersion);
  root.require_subcommand(1);
  root.fallthrough();  // lets --json come after the subcommand too
  CliState state;
  root.add_flag("--json", state.json, "Machine-readable JSON on stdout");

  addVersionCommand(root, state);
  addRunModelCommand(root, state);
  addParityCommand(root, state);
  addDriftCommand(root, state);
  addCalibExportCommand(root, state);
  addInfoCommand(root, state);
  addImportCommand(root, state);
  addGenerateCommand(root, state);
  addRunCommand(root, state);
  addCheckCommand(root, state);

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = root.exit(error);
    return code == 0 ? kOk : kUsageOrIo;
  }
  return state.exitCode;
}
