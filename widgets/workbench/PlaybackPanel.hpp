#pragma once
// Live playback controls and the latency readout against the contract's service targets:
// p95 latency per window < 50 ms, and at least 20 windows per second.
#include <QWidget>

#include "PlaybackController.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QPushButton;
class QLabel;
QT_END_NAMESPACE

namespace imuwb::widgets {

inline constexpr double kLatencyBudgetP95_ms = 50.0;   // contract: p95 < 50 ms end to end
inline constexpr double kThroughputTarget_wps = 20.0;  // contract: >= 20 windows/s sustained

class PlaybackPanel : public QWidget {
  Q_OBJECT
 public:
  explicit PlaybackPanel(QWidget* parent = nullptr);
  double speed() const;         // 1, 4, or 0 = as fast as possible
  void setSpeed(double speed);  // one of the offered speeds
  void setRunning(bool running);
  void showStats(const LatencyStats& stats);
  void clearStats();  // a session that was not played yet
  void setStatus(const QString& text);
  QString statusText() const;
  QString windowsText() const;
  QString latencyText() const;
  QString throughputText() const;
  QPushButton* playButton() const { return play_; }

 signals:
  void playRequested();
  void stopRequested();

 private:
  QComboBox* speed_;
  QPushButton* play_;
  QPushButton* stop_;
  QLabel* windows_;
  QLabel* latency_;
  QLabel* throughput_;
  QLabel* status_;
};

}  // namespace imuwb::widgets
