#pragma once
// The main window's user-visible text, translated in one context even when the code that
// shows it (docks, menus, status bar) lives outside the MainWindow class.
#include <QCoreApplication>
#include <QString>

namespace imuwb::widgets {

inline QString workbenchTr(const char* text, const char* disambiguation = nullptr, int n = -1) {
  return QCoreApplication::translate("imuwb::widgets::MainWindow", text, disambiguation, n);
}

}  // namespace imuwb::widgets
