#include "ConvertRunner.hpp"

namespace imuwb::widgets {

ConvertRunner::ConvertRunner(QObject* parent)
    : QObject(parent),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const jobs::ConvertJobResult> result) {
                 emit finished(std::move(result));
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const jobs::ConvertJobResult>>();
}

bool ConvertRunner::start(jobs::ConvertJobOptions options) {
  return runner_.run([options = std::move(options)](const JobControl& control) {
    return jobs::runConvertJob(options, control);
  });
}

}  // namespace imuwb::widgets
