#pragma once
// The Open dialog: any file the workbench opens (sessions and recordings, model bundles as
// folders, .onnx or model_config.json, labels CSVs, outputs files, calibration sets), and a
// model bundle folder opens in one step: choosing or typing it, or double-clicking it, accepts
// the folder instead of moving into it (a bundle is a folder with manifest.json or
// model_config.json in it). What each chosen path is, the window decides (openPaths).
#include <QFileDialog>
#include <QStringList>

namespace imuwb::widgets {

// A model bundle folder: manifest.json, or the pipeline's model_config.json, inside.
bool isBundleFolder(const QString& path);

class OpenAnythingDialog : public QFileDialog {
  Q_OBJECT
 public:
  explicit OpenAnythingDialog(QWidget* parent = nullptr, const QString& title = {});
  // The chosen paths once accepted: the files, or the one bundle folder.
  QStringList chosenPaths() const { return chosen_; }

 public slots:
  void accept() override;

 private:
  void enteredDirectory(const QString& directory);
  QStringList chosen_;
};

}  // namespace imuwb::widgets
