#pragma once
// Runs `imuwb parity --a A --b B` on the open session and model off the GUI thread, the
// same core job with the same options as the CLI (jobs::runParityJob, parityOptionsFor), with
// progress and cancel through JobControl, on a JobRunner (its own thread, not Qt's global pool).
// The job call lives in ParityRunner.cpp so widgets' headers stay free of ONNX.
#include <QObject>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "JobRunner.hpp"
#include "analysis/ParityResult.hpp"
#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

struct ParityRequest {
  std::shared_ptr<const Session> session;  // must have a sourcePath (core windows the file)
  std::shared_ptr<const ModelBundle> bundle;
  std::filesystem::path calibration;  // int8: calibration set .npy or quantization parameters .json
  int strideSamples = 50;
  std::string a = "cpu";  // the sides, as --a / --b: backend names
  std::string b = "int8";
  std::map<std::string, std::string> aSettings = {};  // as --a-option / --b-option (edgeinfer: url)
  std::map<std::string, std::string> bSettings = {};
};

// A against B (cpu against int8 unless chosen otherwise): jobs::runParityJob with
// parityOptionsFor(request), so every setting not in the request (the int8 range policy among
// them) is the CLI's default.
analysis::ParityResult runParityRequest(const ParityRequest& request, const JobControl& control);

using ParityFunction =
    std::function<analysis::ParityResult(const ParityRequest&, const JobControl&)>;

class ParityRunner : public QObject {
  Q_OBJECT
 public:
  explicit ParityRunner(ParityFunction run = {}, QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  void start(const ParityRequest& request);
  const ParityRequest& request() const { return request_; }  // the last started: its session
  void cancel();
  void waitForIdle();

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::analysis::ParityResult> result);
  void failed(QString message);
  void cancelled();

 private:
  ParityFunction run_;
  ParityRequest request_;
  JobRunner<analysis::ParityResult> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::analysis::ParityResult>)
