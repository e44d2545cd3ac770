#pragma once
// imuwb-gui --screenshot OUT.png --label-edit: the window in the middle of a label review, for
// docs/screenshots/label-editing.png. The interval at the middle of --range is selected (outlined,
// grips on its edges) and given a note, the Labels dock is raised with the find box searching
// that note, and the class after the selected one is the active class. Nothing is saved and the
// autosave journal is off: the sample session's folder is not written.
#include <QCommandLineParser>

namespace imuwb::widgets {
class MainWindow;
}

void addLabelEditShotOptions(QCommandLineParser& args);
// Prepares the window (before takeScreenshot runs the model and renders); false on failure.
bool prepareLabelEditShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args);
