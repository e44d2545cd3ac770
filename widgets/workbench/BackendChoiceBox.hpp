#pragma once
// One backend choice, as the run panel (run and live playback) and each side of the parity view
// show it: the registry's backends (an unavailable one listed, disabled, with its reason), and
// for edgeinfer the sidecar's URL. "Check" asks the owner to load the model into the chosen
// backend (jobs::runBackendCheckJob); the box then shows what the backend reported: for
// edgeinfer the /healthz fields and the determinism verdict, a non-deterministic one as a
// warning. Holds no job itself.
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "jobs/BackendCheckJob.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
QT_END_NAMESPACE

namespace imuwb::widgets {

struct BackendChoice {
  std::string name;
  std::string description;
  std::string unavailable;  // why this build cannot create it; empty = available
};

// Every backend of core's registry, in its order.
std::vector<BackendChoice> registryBackendChoices();

// MODEL_BACKEND_URL, else http://127.0.0.1:9000/infer (an `imuwb serve` on this machine).
QString defaultSidecarUrl();

class BackendChoiceBox : public QWidget {
  Q_OBJECT
 public:
  explicit BackendChoiceBox(QWidget* parent = nullptr);
  void setBackends(const std::vector<BackendChoice>& backends);
  std::string currentBackend() const;
  void setCurrentBackend(const std::string& name);
  // The registry settings the choice implies (edgeinfer: url).
  std::map<std::string, std::string> settings() const;
  void setBusy(bool busy);

  void showCheck(const jobs::BackendCheckJobResult& result);
  void showCheckError(const QString& message);
  void showCheckStatus(const QString& text);  // while a check runs
  QString checkText() const;                  // the last check, as shown
  QString warningText() const;  // empty unless the last check found the backend non-deterministic
  bool warningShown() const;

  QComboBox* combo() const { return backend_; }
  QLineEdit* urlEdit() const { return url_; }
  QPushButton* checkButton() const { return check_; }

 signals:
  void checkRequested();
  void backendChanged();

 private:
  void updateForBackend();

  QComboBox* backend_;
  QLabel* urlLabel_;
  QLineEdit* url_;
  QPushButton* check_;
  QLabel* health_;
  QLabel* warning_;
};

}  // namespace imuwb::widgets
