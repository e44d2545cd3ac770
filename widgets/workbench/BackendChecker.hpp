#pragma once
// Runs a backend choice's "Check" (jobs::runBackendCheckJob: the model loaded into the chosen
// backend with its settings) off the GUI thread, on a JobRunner, and shows the outcome in the
// box that asked. One check at a time; a box deleted meanwhile is simply not updated.
#include <QObject>
#include <QPointer>
#include <memory>

#include "BackendChoiceBox.hpp"
#include "JobRunner.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

class BackendChecker : public QObject {
  Q_OBJECT
 public:
  explicit BackendChecker(QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  // Checks box's current backend and settings with bundle (nullptr: says a model is needed).
  void check(BackendChoiceBox* box, std::shared_ptr<const ModelBundle> bundle);
  void cancel();
  void waitForIdle();

 signals:
  void finished(std::shared_ptr<const imuwb::jobs::BackendCheckJobResult> result);
  void failed(QString message);
  void cancelled();

 private:
  QPointer<BackendChoiceBox> box_;
  JobRunner<jobs::BackendCheckJobResult> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::jobs::BackendCheckJobResult>)
