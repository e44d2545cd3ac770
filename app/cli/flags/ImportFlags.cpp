#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addImportFlags(CLI::App& command, ImportFlags& flags) {
  command
      .add_option("input", flags.input, "Recording: .csv/.tsv/.txt, sidecar request .json or .h5")
      ->required();
  command.add_option("--out,-o", flags.output, "Session file to write (.h5)")->required();
  command.add_option("--labels", flags.labels,
                     "Label intervals CSV: start,end,label (seconds); replaces an inline label "
                     "column");
  command.add_option("--units", flags.units,
                     "Source units, overriding detection: acc=g,gyro=deg/s,mag=mG (any spelling "
                     "a header may use: m/s^2, m s^-2, rad s^-1, dps, uT...)");
  command.add_option("--map", flags.map,
                     "Columns by role, overriding detection: ax=accx,gx=gyrox,...,time=timestamp,"
                     "label=classification (DEVICE.ax for a second device)");
  command.add_option("--ignore", flags.ignore, "Column to leave out (repeatable)");
  command.add_option("--date", flags.date,
                     "Date of HH:MM:SS clock times without a date column (YYYY-MM-DD, UTC)");
  command.add_option("--rate", flags.rate, "Sample rate in Hz (required without a time column)");
  command.add_option("--device", flags.device, "Device name for single-device sources");
  command.add_flag("--force", flags.options.force, "Overwrite the output if it exists");
}

jobs::ImportJobOptions toImportOptions(const ImportFlags& flags) {
  jobs::ImportJobOptions options = flags.options;
  options.input = flags.input;
  options.output = flags.output;
  options.labels = flags.labels;
  if (!flags.units.empty()) options.import.units = UnitOverrides::parse(flags.units);
  if (flags.rate > 0) options.import.sampleRateHz = flags.rate;
  options.import.deviceName = flags.device;
  options.import.columns = ColumnChoices::parse(flags.map, flags.ignore);
  options.import.date = flags.date;
  return options;
}

}  // namespace imuwb::cli
