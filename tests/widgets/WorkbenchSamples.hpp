#pragma once
// The bundled samples the workspace-state tests run on, and files cut from them: a shorter copy
// of the two-device session (a second session with its own results), a calibration set exported
// by core's calibration export. Header-only, like WidgetTestSupport.hpp.
#include <QFileInfo>
#include <QString>
#include <memory>

#include "WidgetTestSupport.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "session/SessionIo.hpp"

namespace imuwb::testing {

inline QString twoDeviceSession() {
  return sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
}
inline QString sampleModel() {
  return sourceDir() + "/samples/models/dog_behavior_conv2d";
}
inline bool samplesPresent() {
  return QFileInfo::exists(twoDeviceSession()) && QFileInfo::exists(sampleModel());
}

// The first `rows` samples of the two-device session, written to `path` (labels cut to fit).
inline QString writeShortSession(const QString& path, std::size_t rows) {
  Session session = loadSession(twoDeviceSession().toStdString());
  for (auto& device : session.devices) device.samples.resize(rows * kChannelCount);
  if (!session.time_s.empty()) session.time_s.resize(rows);
  const double end_s = rows / session.sampleRateHz;
  std::vector<LabelInterval> kept;
  for (auto label : session.labels)
    if (label.start_s < end_s) {
      label.end_s = std::min(label.end_s, end_s);
      kept.push_back(label);
    }
  session.labels = kept;
  session.sourcePath.clear();
  saveSession(session, path.toStdString());
  return path;
}

// A calibration set of `windows` windows cut from the two-device session by core's export.
inline QString exportCalibration(const QString& dir, std::size_t windows = 128) {
  const auto bundle = loadModelBundle(sampleModel().toStdString());
  quant::CalibrationExportOptions options;
  options.sessions = {twoDeviceSession().toStdString()};
  options.out = (dir + "/calib.npy").toStdString();
  options.windows = windows;
  options.force = true;
  return QString::fromStdString(quant::exportCalibrationSet(bundle, options).npyPath.string());
}

}  // namespace imuwb::testing
