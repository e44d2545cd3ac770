#include "OpenAnythingDialog.hpp"

#include <QDir>
#include <QFileInfo>

namespace imuwb::widgets {

bool isBundleFolder(const QString& path) {
  const QFileInfo info(path);
  if (!info.isDir()) return false;
  const QDir dir(info.absoluteFilePath());
  return dir.exists(QStringLiteral("manifest.json")) ||
         dir.exists(QStringLiteral("model_config.json"));
}

OpenAnythingDialog::OpenAnythingDialog(QWidget* parent, const QString& title)
    : QFileDialog(parent, title.isEmpty() ? tr("Open") : title) {
  // Qt's own dialog: a native one would move into a bundle folder before we could accept it.
  setOption(QFileDialog::DontUseNativeDialog, true);
  setFileMode(QFileDialog::ExistingFiles);
  setNameFilters({tr("Everything the workbench opens (*.h5 *.hdf5 *.csv *.json *.onnx *.npy)"),
                  tr("Sessions and recordings (*.h5 *.hdf5 *.csv *.json)"),
                  tr("Models (*.onnx manifest.json model_config.json)"), tr("Labels (*.csv)"),
                  tr("Calibration sets (*.npy)"), tr("All files (*)")});
  connect(this, &QFileDialog::directoryEntered, this, &OpenAnythingDialog::enteredDirectory);
}

void OpenAnythingDialog::accept() {
  const QStringList files = selectedFiles();
  if (files.size() == 1 && isBundleFolder(files.front())) {
    chosen_ = {QFileInfo(files.front()).absoluteFilePath()};
    QDialog::accept();  // the folder itself, not a move into it
    return;
  }
  QFileDialog::accept();
  if (result() == QDialog::Accepted) chosen_ = selectedFiles();
}

void OpenAnythingDialog::enteredDirectory(const QString& directory) {
  if (!isVisible() || !isBundleFolder(directory)) return;
  chosen_ = {QFileInfo(directory).absoluteFilePath()};
  QDialog::accept();
}

}  // namespace imuwb::widgets
