// MainWindow, continued: Tools > Convert for Hailo-8…. The dialog is modeless and follows the
// current model and session (its proof windows); a passing conversion is opened as a model of
// its own beside the original, so Parity and Run can compare the two at once.
#include "ConvertDialog.hpp"
#include "MainWindow.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"

namespace imuwb::widgets {

void MainWindow::showConvertDialog() {
  const auto inputs = [this] {
    return ConvertInputs{state_->model(docks_.runPanel->currentModel()), currentSession()};
  };
  if (!convertDialog_) {
    convertDialog_ = new ConvertDialog(this);
    const auto follow = [this, inputs] {
      if (convertDialog_->isVisible()) convertDialog_->setInputs(inputs());
    };
    connect(docks_.browser, &SessionBrowser::currentSessionChanged, convertDialog_, follow);
    connect(docks_.runPanel, &RunPanel::modelChanged, convertDialog_, follow);
    connect(convertDialog_, &ConvertDialog::convertedModelReady, this,
            [this](const QString& path) { openPaths({path}); });
  }
  convertDialog_->setInputs(inputs());
  convertDialog_->show();
  convertDialog_->raise();
  convertDialog_->activateWindow();
}

}  // namespace imuwb::widgets
