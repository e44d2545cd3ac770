#pragma once
// One error or warning as the workbench shows it: where, the problem, and its fix, split out of
// imuwb::Error's text ("where: problem\n  fix: fix"), with every fix that names a CLI flag
// rewritten to the GUI action that does the same (a GUI user has no `--calib` to pass).
#include <QDateTime>
#include <QString>

#include "common/Finding.hpp"

namespace imuwb::widgets {

struct WorkbenchMessage {
  Severity severity = Severity::Error;
  QString context;  // what the user was doing: "Run", "Playback", "Open dog.h5"
  QString where;
  QString problem;
  QString fix;
  QDateTime time;
  // "Run: where: problem" on one line, cut to at most maxChars (the status bar).
  QString shortText(int maxChars = 120) const;
  QString fullText() const;  // problem, then "fix: …" on its own line
};

// Splits an imuwb::Error text; a text without "where: " keeps it all as the problem.
WorkbenchMessage parseWorkbenchMessage(Severity severity, const QString& context,
                                       const QString& text);
// The same text with CLI flags in it replaced by the GUI actions that do the same.
QString guiWording(const QString& text);

}  // namespace imuwb::widgets
