#include "PlaybackController.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "OutputAssembler.hpp"
#include "WindowStream.hpp"
#include "backends/BackendRegistry.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  const auto rank = static_cast<std::size_t>(
      std::clamp(std::ceil(fraction * values.size()) - 1, 0.0, double(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(rank), values.end());
  return values[rank];
}

PlaybackController::PlaybackController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<LatencyStats>();
  repaint_.setInterval(kRepaintIntervalMs);
  connect(&repaint_, &QTimer::timeout, this, &PlaybackController::drain);
}

PlaybackController::~PlaybackController() {
  repaint_.stop();
  if (worker_.joinable()) {
    worker_.request_stop();
    worker_.join();
  }
}

void PlaybackController::start(std::shared_ptr<const Session> session,
                               std::shared_ptr<const ModelBundle> bundle, std::string backend,
                               std::map<std::string, std::string> settings,
                               std::size_t strideSamples, double speed, double start_s) {
  stop();
  const auto rows = session->sampleCount();
  const auto firstRow = static_cast<std::size_t>(std::clamp(
      std::floor(start_s * session->sampleRateHz), 0.0, double(rows > 0 ? rows - 1 : 0)));
  session_ = session;
  start_s_ = double(firstRow) / session->sampleRateHz;
  {
    std::lock_guard lock(mutex_);
    assembler_ =
        std::make_unique<OutputAssembler>(*bundle, backend, strideSamples, session->sampleRateHz);
    latencies_ms_.clear();
    total_ = 0;
    workerEnd_ = End::Complete;
    dirty_ = false;
    finishedFlag_ = false;
    finishMessage_.clear();
  }
  published_.reset();
  stats_ = {};
  wall_.start();
  worker_ = std::jthread([this, session, bundle, backend, settings = std::move(settings),
                          strideSamples, speed, firstRow](std::stop_token stop) {
    workerLoop(stop, session, bundle, backend, settings, strideSamples, speed, firstRow);
  });
  repaint_.start();
}

void PlaybackController::stop() {
  if (worker_.joinable()) {
    worker_.request_stop();
    worker_.join();
  }
  if (repaint_.isActive()) drain();  // hand over the tail and report the end
  repaint_.stop();
}

void PlaybackController::workerLoop(std::stop_token stop, std::shared_ptr<const Session> session,
                                    std::shared_ptr<const ModelBundle> bundle,
                                    std::string backendName,
                                    std::map<std::string, std::string> settings, std::size_t stride,
                                    double speed, std::size_t firstRow) {
  QString message = tr("playback finished");
  End end = End::Complete;
  try {
    const auto registry = makeDefaultBackendRegistry();
    BackendOptions options;
    options.settings = std::move(settings);
    auto backend = registry.create(backendName, options);
    backend->load(*bundle);
    WindowStream stream(session, bundle, *backend, stride, firstRow);
    {
      std::lock_guard lock(mutex_);
      total_ = stream.candidateCount();
    }
    OutputSet outputs;
    std::vector<double> starts;
    using Clock = std::chrono::steady_clock;
    const auto begin = Clock::now();
    double firstWindowEnd_s = -1;
    while (!stop.stop_requested()) {
      const auto t0 = Clock::now();
      if (!stream.next(1, outputs, starts)) break;
      const double latency_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      const double windowEnd_s =
          starts[0] + bundle->manifest.input.windowLength / session->sampleRateHz;
      {
        std::lock_guard lock(mutex_);
        assembler_->add(outputs, starts);
        latencies_ms_.push_back(latency_ms);
        latest_s_ = windowEnd_s;
        dirty_ = true;
      }
      if (speed > 0) {
        // A window is ready when its last sample has arrived: pace to the recording's clock.
        if (firstWindowEnd_s < 0) firstWindowEnd_s = windowEnd_s;
        const auto due =
            begin + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>((windowEnd_s - firstWindowEnd_s) / speed));
        while (!stop.stop_requested() && Clock::now() < due)
          std::this_thread::sleep_for(
              std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(20)));
      }
    }
    if (stop.stop_requested()) {
      std::lock_guard lock(mutex_);
      end = End::Stopped;
      message =
          tr("playback stopped: partial (%1 of %2 windows)").arg(latencies_ms_.size()).arg(total_);
    }
  } catch (const std::exception& error) {
    end = End::Failed;
    message = tr("playback failed: %1").arg(QString::fromUtf8(error.what()));
  }
  std::lock_guard lock(mutex_);
  if (end == End::Complete) total_ = latencies_ms_.size();  // windows skipped in gaps
  workerEnd_ = end;
  finishedFlag_ = true;
  finishMessage_ = message;
  dirty_ = true;
}

void PlaybackController::drain() {
  bool done = false;
  QString message;
  double latest = 0;
  {
    std::lock_guard lock(mutex_);
    if (!dirty_) return;
    dirty_ = false;
    published_ = std::make_shared<const ModelOutputs>(assembler_->outputs());  // snapshot
    stats_.windows = latencies_ms_.size();
    stats_.windowsTotal = total_;
    end_ = workerEnd_;
    stats_.p50_ms = percentile(latencies_ms_, 0.50);
    stats_.p95_ms = percentile(latencies_ms_, 0.95);
    stats_.max_ms =
        latencies_ms_.empty() ? 0 : *std::max_element(latencies_ms_.begin(), latencies_ms_.end());
    latest = latest_s_;
    done = finishedFlag_;
    message = finishMessage_;
  }
  const double elapsed_s = wall_.elapsed() / 1000.0;
  stats_.windowsPerSecond = elapsed_s > 0 ? stats_.windows / elapsed_s : 0;
  emit updated(published_, latest, stats_);
  if (done) {
    repaint_.stop();
    emit finished(message);
  }
}

}  // namespace imuwb::widgets
