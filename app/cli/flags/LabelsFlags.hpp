#pragma once
// The CLI's flags of `imuwb labels export|import|diff|history|restore|embed`, bound straight
// into the jobs' options (jobs/LabelsJob.hpp).
#include <CLI/CLI.hpp>
#include <string>

#include "jobs/LabelsJob.hpp"

namespace imuwb::cli {

struct LabelsFlags {
  jobs::LabelsExportOptions exportOptions;
  jobs::LabelsImportOptions importOptions;
  jobs::LabelsDiffOptions diffOptions;
  jobs::LabelsRestoreOptions restoreOptions;
  jobs::LabelsEmbedOptions embedOptions;
  std::string historySession;
};
CLI::App* addLabelsExportFlags(CLI::App& labels, LabelsFlags& flags);
CLI::App* addLabelsImportFlags(CLI::App& labels, LabelsFlags& flags);
CLI::App* addLabelsDiffFlags(CLI::App& labels, LabelsFlags& flags);
CLI::App* addLabelsHistoryFlags(CLI::App& labels, LabelsFlags& flags);
CLI::App* addLabelsRestoreFlags(CLI::App& labels, LabelsFlags& flags);
CLI::App* addLabelsEmbedFlags(CLI::App& labels, LabelsFlags& flags);

}  // namespace imuwb::cli
