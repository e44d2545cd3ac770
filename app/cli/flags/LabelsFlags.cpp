#include "flags/LabelsFlags.hpp"

namespace imuwb::cli {

CLI::App* addLabelsExportFlags(CLI::App& labels, LabelsFlags& flags) {
  auto& o = flags.exportOptions;
  auto* command =
      labels.add_subcommand("export", "Write a session's labels as CSV (start,end,label,note)");
  command->add_option("session", o.session, "Session file (.h5); its side-car labels when present")
      ->required();
  command->add_option("csv", o.output, "CSV file to write")->required();
  command
      ->add_option("--revision", o.revision, "A kept revision instead of the current labels (-1)")
      ->capture_default_str();
  command->add_flag("--force", o.force, "Overwrite the CSV if it exists");
  return command;
}

CLI::App* addLabelsImportFlags(CLI::App& labels, LabelsFlags& flags) {
  auto& o = flags.importOptions;
  auto* command = labels.add_subcommand(
      "import", "Save labels from CSV into the session's side-car labels file (never the .h5)");
  command->add_option("session", o.session, "Session file (.h5)")->required();
  command->add_option("csv", o.csv, "CSV with start,end,label[,note]")->required();
  command->add_option("--author", o.author, "Who saves (default $USER)");
  command->add_option("--note", o.note, "What the save is for (kept in the history)");
  command->add_flag("--force", o.force,
                    "Save even when another writer saved since (theirs stays in the history)");
  return command;
}

CLI::App* addLabelsDiffFlags(CLI::App& labels, LabelsFlags& flags) {
  auto& o = flags.diffOptions;
  auto* command = labels.add_subcommand(
      "diff", "Compare two label sets: per-class agreement, Cohen's kappa, overlap, boundaries");
  command->add_option("a", o.a, "Session (.h5), side-car (.labels.json) or CSV")->required();
  command->add_option("b", o.b, "Session (.h5), side-car (.labels.json) or CSV")->required();
  command->add_option("--grid-hz", o.gridRateHz, "Sample grid rate (0: the session's, else 100)")
      ->capture_default_str();
  return command;
}

CLI::App* addLabelsHistoryFlags(CLI::App& labels, LabelsFlags& flags) {
  auto* command = labels.add_subcommand("history", "List the saved versions of a session's labels");
  command->add_option("session", flags.historySession, "Session file (.h5)")->required();
  return command;
}

CLI::App* addLabelsRestoreFlags(CLI::App& labels, LabelsFlags& flags) {
  auto& o = flags.restoreOptions;
  auto* command = labels.add_subcommand("restore", "Save a kept revision as the newest labels");
  command->add_option("session", o.session, "Session file (.h5)")->required();
  command->add_option("revision", o.revision, "Revision to restore (see `labels history`)")
      ->required();
  command->add_option("--author", o.author, "Who saves (default $USER)");
  command->add_option("--note", o.note, "What the save is for");
  return command;
}

CLI::App* addLabelsEmbedFlags(CLI::App& labels, LabelsFlags& flags) {
  auto& o = flags.embedOptions;
  auto* command = labels.add_subcommand(
      "embed",
      "Write a NEW session file with the current labels embedded (the original is untouched)");
  command->add_option("session", o.session, "Session file (.h5)")->required();
  command->add_option("--out,-o", o.output, "Session file to write (.h5)")->required();
  command->add_flag("--force", o.force, "Overwrite the output if it exists");
  return command;
}

}  // namespace imuwb::cli
