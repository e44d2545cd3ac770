// MainWindow, continued: Tools > Export Calibration Set…. The dialog is modeless, beside the
// timeline (whose Shift+drag selection it takes as ranges); it follows the current session and
// model, and checks coverage against every other session the window knows: the open ones and
// the recent files that are sessions (.h5) still on disk.
#include <QFileInfo>
#include <filesystem>
#include <set>

#include "CalibExportDialog.hpp"
#include "MainWindow.hpp"
#include "RecentFiles.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"

namespace imuwb::widgets {

namespace {

// Open sessions other than current (files on disk), then recent .h5 files not already listed.
std::vector<std::filesystem::path> otherSessionPaths(const std::vector<OpenSession>& open,
                                                     const std::shared_ptr<const Session>& current,
                                                     const QStringList& recent) {
  std::vector<std::filesystem::path> paths;
  std::set<std::filesystem::path> seen;
  if (current && !current->sourcePath.empty())
    seen.insert(std::filesystem::absolute(current->sourcePath).lexically_normal());
  const auto add = [&](const std::filesystem::path& path) {
    const auto key = std::filesystem::absolute(path).lexically_normal();
    if (seen.insert(key).second) paths.push_back(path);
  };
  for (const auto& session : open)
    if (session.session && !session.session->sourcePath.empty()) add(session.session->sourcePath);
  for (const auto& path : recent) {
    const QFileInfo info(path);
    if (info.isFile() && info.suffix().compare("h5", Qt::CaseInsensitive) == 0)
      add(path.toStdString());
  }
  return paths;
}

}  // namespace

void MainWindow::showCalibExportDialog() {
  const auto inputs = [this] {
    CalibExportInputs in;
    in.session = currentSession();
    const int model = docks_.runPanel->currentModel();
    in.bundle = state_->model(model);
    in.otherSessions = otherSessionPaths(state_->sessions(), in.session, RecentFiles::paths());
    return in;
  };
  if (!calibDialog_) {
    calibDialog_ = new CalibExportDialog(&axis_, this);
    const auto follow = [this, inputs] {
      if (calibDialog_->isVisible()) calibDialog_->setInputs(inputs());
    };
    connect(docks_.browser, &SessionBrowser::currentSessionChanged, calibDialog_, follow);
    connect(docks_.runPanel, &RunPanel::modelChanged, calibDialog_, follow);
  }
  calibDialog_->setInputs(inputs());
  calibDialog_->show();
  calibDialog_->raise();
  calibDialog_->activateWindow();
}

}  // namespace imuwb::widgets
