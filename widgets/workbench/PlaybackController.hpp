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
  std::size_t windowsTotal = 0;  // windows from the start to the end of the session (0 = unknown)
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
  // settings: the backend's registry settings (edgeinfer: url; int8: calibration).
  // start_s: session time of the first window (the cursor, or the selection's start).
  void start(std::shared_ptr<const Session> session, std::shared_ptr<const ModelBundle> bundle,
             std::string backend, std::map<std::string, std::string> settings,
             std::size_t strideSamples, double speed, double start_s = 0);
  void stop();
  bool running() const { return worker_.joinable() && !finishedFlag_; }
  // How the last playback ended (valid after finished): played to the end, stopped, failed.
  enum class End { Complete, Stopped, Failed };
  End lastEnd() const { return end_; }
  std::shared_ptr<const Session> session() const { return session_; }  // the one playing
  double startTime_s() const { return start_s_; }
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
                  std::map<std::string, std::string> settings, std::size_t stride, double speed,
                  std::size_t firstRow);

  std::jthread worker_;
  QTimer repaint_;
  std::mutex mutex_;
  // Shared with the worker under mutex_:
  std::unique_ptr<OutputAssembler> assembler_;
  std::vector<double> latencies_ms_;
  double latest_s_ = 0;
  std::size_t total_ = 0;
  End workerEnd_ = End::Complete;
  bool dirty_ = false;
  bool finishedFlag_ = false;
  QString finishMessage_;
  // GUI thread only:
  std::shared_ptr<const ModelOutputs> published_;
  LatencyStats stats_;
  QElapsedTimer wall_;
  std::shared_ptr<const Session> session_;
  double start_s_ = 0;
  End end_ = End::Complete;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(imuwb::widgets::LatencyStats)
