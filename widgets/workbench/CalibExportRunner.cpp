#include "CalibExportRunner.hpp"

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

CalibExportRunner::CalibExportRunner(QObject* parent)
    : QObject(parent),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const jobs::CalibExportJobResult> result) {
                 emit finished(std::move(result));
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const jobs::CalibExportJobResult>>();
}

bool CalibExportRunner::start(std::shared_ptr<const ModelBundle> bundle,
                              jobs::CalibExportJobOptions options) {
  return runner_.run(
      [bundle = std::move(bundle), options = std::move(options)](const JobControl& control) {
        if (!bundle)
          throw Error("calibration set", "no model is open", "open the model the set is for");
        return jobs::runCalibExportJob(*bundle, options, control);
      });
}

}  // namespace imuwb::widgets
