#pragma once
// int8's quantization, chosen once for the whole workbench: a calibration set (.npy of
// representative windows) or saved quantization parameters (.json), remembered in QSettings
// ("parity/calibration") and used by Run, Parity, Evaluation and live Playback alike. A file is
// remembered only when it loads for the model; a rejected one is forgotten, so it is never
// offered again as the preselected choice.
#include <QString>
#include <map>
#include <string>

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

// Where the user chooses it, for messages: "Run ▸ Calibration Set…".
QString calibrationAction();

// The remembered file; empty when none was chosen or it no longer exists.
QString rememberedCalibration();
// Checks path (a .npy against model's input layout when model is given, else that it reads as a
// float array; a .json as quantization parameters) and remembers it. False, with the reason in
// *error and nothing remembered (a remembered copy of the same path is forgotten), when it does
// not load.
bool chooseCalibration(const QString& path, const ModelBundle* model, QString* error);
void forgetCalibration();

// The registry settings int8 needs ({"calibration": …} or {"quant_params": …}) from the
// remembered choice; false with a message naming the GUI action when nothing is chosen.
bool int8SettingsFromChoice(std::map<std::string, std::string>& settings, QString* message);

}  // namespace imuwb::widgets
