#include "CalibPlanner.hpp"

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

CalibPlanner::CalibPlanner(QObject* parent)
    : QObject(parent),
      runner_(this, {nullptr,
                     [this](std::shared_ptr<const quant::CalibrationPlan> plan) {
                       if (pending_)
                         startPending();
                       else
                         emit planned(std::move(plan));
                     },
                     [this](const QString& message) {
                       if (pending_)
                         startPending();
                       else
                         emit failed(message);
                     },
                     [this] { startPending(); }}) {
  qRegisterMetaType<std::shared_ptr<const quant::CalibrationPlan>>();
}

void CalibPlanner::request(CalibPlanRequest request) {
  pending_ = std::move(request);
  if (runner_.busy())
    runner_.cancel();  // its outcome starts the pending request
  else
    startPending();
}

void CalibPlanner::startPending() {
  if (!pending_) return;
  CalibPlanRequest request = std::move(*pending_);
  pending_.reset();
  runner_.run([request](const JobControl& control) {
    if (!request.bundle)
      throw Error("calibration set", "no model is open", "open the model the set is for");
    return jobs::planCalibExportJob(*request.bundle, request.options, control);
  });
}

void CalibPlanner::waitForIdle() {
  pending_.reset();
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
