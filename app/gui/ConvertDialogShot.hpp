#pragma once
// imuwb-gui --screenshot OUT.png --convert-dialog: Tools > Convert for Hailo-8… after converting
// the current model (into a temporary folder, removed afterwards) with --convert-layout
// nchw|nhwc, proved on the current session's windows: the rewrites and the proof as shown.
#include <QCommandLineParser>

namespace imuwb::widgets {
class MainWindow;
}

// Options the dialog screenshot adds to the parser.
void addConvertDialogShotOptions(QCommandLineParser& args);
// Renders the dialog to args' --screenshot path; 0 on success (the exit code otherwise).
int takeConvertDialogShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args);
