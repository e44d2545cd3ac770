#pragma once
// What a path given to Open (dialog, drag and drop, recent files, command line) is, decided
// before anything is loaded, so each kind goes to its handler in one step: recordings to the
// session opener (an .h5 that is not a session is then tried as an outputs file), model bundle
// folders, .onnx files and model_config.json to the model loader, labels CSVs ("start,end,label")
// to the current session, .npy calibration sets to int8's remembered choice.
#include <QString>

namespace imuwb::widgets {

enum class OpenKind {
  Recording,      // .h5/.hdf5 session (or outputs file), sensor CSV, anything else readers take
  ModelOrWindow,  // a .json: a manifest or model_config.json, else a sidecar request window
  Model,          // a bundle folder or an .onnx
  Labels,         // a labels CSV (header start,end,label)
  Calibration,    // a .npy calibration set
};

OpenKind classifyOpenPath(const QString& path);
// A CSV whose header is the label format's (start, end, label), as core's LabelCsv reads it.
bool isLabelCsv(const QString& path);

}  // namespace imuwb::widgets
