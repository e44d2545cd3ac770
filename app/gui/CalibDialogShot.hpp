#pragma once
// imuwb-gui --screenshot OUT.png --calib-dialog: the calibration export dialog (Tools > Export
// Calibration Set…) rendered with a selection: the --select range added from the timeline,
// more --calib-range DEVICE:START-END, --calib-classes a,b, --calib-balance none|classes, and
// with --calib-check SET.npy the coverage of the other open sessions against that set.
#include <QCommandLineParser>

namespace imuwb::widgets {
class MainWindow;
}

// Options the dialog screenshot adds to the parser.
void addCalibDialogShotOptions(QCommandLineParser& args);
// Renders the dialog to args' --screenshot path; 0 on success (the exit code otherwise).
int takeCalibDialogShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args);
