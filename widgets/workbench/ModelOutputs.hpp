#pragma once
// Model outputs over a session as the views need them: one row per window, on the session's
// clock. Filled from core's run results (RunOutputsAdapter) or its outputs HDF5. Qt-free.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "session/Session.hpp"

namespace imuwb::widgets {

// [rows, width] row-major, with optional names per column (classes, motifs).
struct WindowMatrix {
  std::string name;  // output name in the model ("behavior_logits", "latent_embeddings")
  std::size_t width = 0;
  std::vector<float> values;
  std::vector<std::string> columnNames;
  std::size_t rows() const { return width == 0 ? 0 : values.size() / width; }
  bool empty() const { return values.empty(); }
  float at(std::size_t row, std::size_t column) const { return values[row * width + column]; }
};

struct ModelOutputs {
  std::string modelName;
  std::string backendName;
  std::string modelSha256;
  std::string manifestJson;  // the manifest the run used (names of classes and motifs)
  std::size_t strideSamples = 50;
  std::vector<double> windowStart_s;  // [W] session time of each window's first sample
  double windowLength_s = 1.0;
  WindowMatrix probabilities;  // [W, classes], softmax(logits / temperature)
  WindowMatrix motifScores;    // [W, 12] in [0, 1]
  WindowMatrix latent;         // [W, 64]
  // The outputs HDF5 these came from (written by core's RunJob, or opened by the user); empty
  // for live playback. fileOwner removes a temporary file when the last copy goes away.
  std::filesystem::path file;
  std::shared_ptr<const void> fileOwner;

  std::size_t windowCount() const { return windowStart_s.size(); }
  // Windows are labelled by their centre sample (contract), so they are plotted there too.
  double windowCentre_s(std::size_t window) const {
    return windowStart_s[window] + windowLength_s / 2;
  }
  std::vector<double> windowCentres_s() const;
  int predictedClass(std::size_t window) const;  // argmax of probabilities, -1 when none
  // Runs of windows with the same predicted class, as intervals around their centres (each
  // window owns stride seconds around its centre).
  std::vector<LabelInterval> predictedIntervals(double sampleRateHz) const;
  // Index of the window whose centre is nearest to t_s; -1 when there are no windows.
  long nearestWindow(double t_s) const;
};

}  // namespace imuwb::widgets
