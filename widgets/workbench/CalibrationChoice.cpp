#include "CalibrationChoice.hpp"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

#include "common/Error.hpp"
#include "io/Npy.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSet.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::widgets {

namespace {
constexpr auto kKey = "parity/calibration";

QString tr(const char* text) {
  return QCoreApplication::translate("CalibrationChoice", text);
}

bool isQuantParams(const QString& path) {
  return QFileInfo(path).suffix().compare("json", Qt::CaseInsensitive) == 0;
}

void check(const QString& path, const ModelBundle* model) {
  const std::filesystem::path file = path.toStdString();
  if (isQuantParams(path)) {
    quant::loadQuantParams(file);
    return;
  }
  if (model) {
    quant::loadWindowsForModel(file, model->manifest);
    return;
  }
  const auto array = io::readNpy(file);
  if (array.shape.size() < 2)
    throw Error(file.string(), "a calibration set holds windows: [N, …], not a flat array",
                "choose the .npy that Tools ▸ Export Calibration Set… writes");
}
}  // namespace

QString calibrationAction() {
  return tr("Run ▸ Calibration Set…");
}

QString rememberedCalibration() {
  const QString path = QSettings().value(kKey).toString();
  return !path.isEmpty() && QFileInfo::exists(path) ? path : QString();
}

bool chooseCalibration(const QString& path, const ModelBundle* model, QString* error) {
  try {
    if (!QFileInfo(path).isFile())
      throw Error(path.toStdString(), "no such file", "choose an existing calibration set");
    check(path, model);
  } catch (const std::exception& e) {
    if (QSettings().value(kKey).toString() == path) forgetCalibration();
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  QSettings().setValue(kKey, path);
  return true;
}

void forgetCalibration() {
  QSettings().remove(kKey);
}

bool int8SettingsFromChoice(std::map<std::string, std::string>& settings, QString* message) {
  const QString path = rememberedCalibration();
  if (path.isEmpty()) {
    if (message)
      *message = tr("int8 needs a calibration set: choose one in %1 (Tools ▸ Export Calibration "
                    "Set… cuts one from a session)")
                     .arg(calibrationAction());
    return false;
  }
  settings[isQuantParams(path) ? "quant_params" : "calibration"] = path.toStdString();
  return true;
}

}  // namespace imuwb::widgets
