#pragma once
// Live playback: streams the session through the backend one window at a time, as the collar
// would deliver them (1x or 4x real time, or as fast as the backend goes), on a worker thread.
// Results queue up and are handed to the views in batches by a 25 Hz timer (as PlotJuggler
// replots on a timer, not per sample), with per-window latency p50/p95 and windows per second.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ModelOutputs.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

class OutputAssembler;

struct LatencyStats {
  std::size_t windows = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0;
  double windowsPerSecond = 0;
};
// Percentile by nearest rank of a copy (the input is left alone).
double percentile(std::vector<double> values, double fraction);

class PlaybackController : public QObject {
  Q_OBJECT
 public:
  explicit PlaybackController(QObject* parent = nullptr);
  ~PlaybackController() override;

  // speed: 1, 4, ... times real time; 0 = as fast as possible.
  // settings: the backend's registry settings (edgeinfer: url).
  void start(std::shared_ptr<const Session> session, std::shared_ptr<const ModelBundle> bundle,
             std::string backend, std::map<std::string, std::string> settings,
             std::size_t strideSamples, double speed);
  void stop();
  bool running() const { return worker_.joinable() && !finishedFlag_; }
  LatencyStats stats() const { return stats_; }
  std::shared_ptr<const ModelOutputs> outputs() const { return published_; }
  static constexpr int kRepaintIntervalMs = 40;  // <= 25 Hz

 signals:
  // Emitted by the repaint timer only, with everything received so far.
  void updated(std::shared_ptr<const imuwb::widgets::ModelOutputs> outputs, double latest_s,
               imuwb::widgets::LatencyStats stats);
  void finished(QString message);  // normal end, stop, or error text

 private:
  void drain();
  void workerLoop(std::stop_token stop, std::shared_ptr<const Session> session,
                  std::shared_ptr<const ModelBundle> bundle, std::string backend,
                  std::map<std::string, std::string> settings, std::size_t stride, double speed);

  std::jthread worker_;
  QTimer repaint_;
  std::mutex mutex_;
  // Shared with the worker under mutex_:
  std::unique_ptr<OutputAssembler> assembler_;
  std::vector<double> latencies_ms_;
  double latest_s_ = 0;
  bool dirty_ = false;
  bool finishedFlag_ = false;
  QString finishMessage_;
  // GUI thread only:
  std::shared_ptr<const ModelOutputs> published_;
  LatencyStats stats_;
  QElapsedTimer wall_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(imuwb::widgets::LatencyStats)
