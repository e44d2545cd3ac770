#pragma once
// Pick model, backend and stride; run (off the GUI thread) with progress and cancel; save the
// outputs or open earlier ones. Holds no data itself: MainWindow owns sessions, models, runs.
#include <QWidget>
#include <string>
#include <vector>

#include "BackendChoiceBox.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QSpinBox;
class QPushButton;
class QProgressBar;
class QLabel;
QT_END_NAMESPACE

namespace imuwb::widgets {

class RunPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunPanel(QWidget* parent = nullptr);
  // Core's registry (registryBackendChoices()); an unavailable backend is listed disabled.
  void setBackends(const std::vector<BackendChoice>& backends);
  void setModels(const QStringList& names, int current);
  int currentModel() const;
  std::string currentBackend() const;
  // The backend, its settings (edgeinfer's URL) and its Check; run and live playback use it.
  BackendChoiceBox* backendBox() const { return backend_; }
  int stride() const;
  void setStride(int stride);
  void setBusy(bool busy);
  void setProgress(double fraction, const QString& stage);
  void setStatus(const QString& text);
  QString statusText() const;
  double progressFraction() const;  // the bar, 0..1
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }

 signals:
  void runRequested();
  void cancelRequested();
  void saveRequested();
  void openOutputsRequested();
  void modelChanged(int index);

 private:
  QComboBox* model_;
  BackendChoiceBox* backend_;
  QSpinBox* stride_;
  QPushButton* run_;
  QPushButton* cancel_;
  QPushButton* save_;
  QPushButton* open_;
  QProgressBar* progress_;
  QLabel* status_;
};

}  // namespace imuwb::widgets
