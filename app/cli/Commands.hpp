#pragma once
// Every imuwb subcommand registers itself here. One file per command under commands/.
#include "CliSupport.hpp"

namespace imuwb::cli {

void addVersionCommand(CLI::App& root, CliState& state);
void addInfoCommand(CLI::App& root, CliState& state);
void addImportCommand(CLI::App& root, CliState& state);
void addGenerateCommand(CLI::App& root, CliState& state);
void addRunCommand(CLI::App& root, CliState& state);
void addCheckCommand(CLI::App& root, CliState& state);
void addConvertCommand(CLI::App& root, CliState& state);
void addRunModelCommand(CLI::App& root, CliState& state);
void addParityCommand(CLI::App& root, CliState& state);
void addDriftCommand(CLI::App& root, CliState& state);
void addEvaluateCommand(CLI::App& root, CliState& state);
void addCalibExportCommand(CLI::App& root, CliState& state);
void addResampleCommand(CLI::App& root, CliState& state);
void addServeCommand(CLI::App& root, CliState& state);
void addBenchCommand(CLI::App& root, CliState& state);
void addReportCommand(CLI::App& root, CliState& state);
void addLabelsCommand(CLI::App& root, CliState& state);
// Add new commands below (and call them from main.cpp) in the order they appear in --help.

}  // namespace imuwb::cli
