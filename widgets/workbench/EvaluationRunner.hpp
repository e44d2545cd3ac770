#pragma once
// Runs `imuwb evaluate` on the open session and model off the GUI thread: the same core job with
// the same options as the CLI (jobs::runEvaluateJob, evaluateOptionsFor), with progress and
// cancel through JobControl, on a JobRunner (its own thread, not Qt's global pool). The job call
// lives in EvaluationRunner.cpp so widgets' headers stay free of ONNX.
#include <QObject>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "JobRunner.hpp"
#include "common/JobControl.hpp"
#include "eval/EvaluationResult.hpp"
#include "session/Session.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

struct EvaluationRequest {
  std::shared_ptr<const Session> session;  // must have a sourcePath (core windows the file)
  std::shared_ptr<const ModelBundle> bundle;
  std::filesystem::path calibration;  // int8: calibration set .npy or quantization parameters .json
  int strideSamples = 50;
  std::string backend = "cpu";                              // --backend
  std::string compareBackend;                               // --compare-backend; empty = none
  std::map<std::string, std::string> backendSettings = {};  // edgeinfer: url
  std::map<std::string, std::string> compareSettings = {};
  double alpha = 0.1;             // --alpha
  double calibrationSplit = 0.5;  // --calibration-split
};

// jobs::runEvaluateJob with evaluateOptionsFor(request): every setting not in the request is the
// CLI's default. No report files are written.
eval::EvaluationResult runEvaluationRequest(const EvaluationRequest& request,
                                            const JobControl& control);

using EvaluationFunction =
    std::function<eval::EvaluationResult(const EvaluationRequest&, const JobControl&)>;

// The result of one request, with what it was asked for (the panel shows it only for that
// session and model).
struct EvaluationOutcome {
  EvaluationRequest request;
  eval::EvaluationResult result;
};

class EvaluationRunner : public QObject {
  Q_OBJECT
 public:
  explicit EvaluationRunner(EvaluationFunction run = {}, QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  void start(const EvaluationRequest& request);
  void cancel();
  void waitForIdle();

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::widgets::EvaluationOutcome> outcome);
  void failed(QString message);
  void cancelled();

 private:
  EvaluationFunction run_;
  JobRunner<EvaluationOutcome> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::EvaluationOutcome>)
