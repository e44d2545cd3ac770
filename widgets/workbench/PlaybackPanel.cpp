#include "PlaybackPanel.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace imuwb::widgets {

PlaybackPanel::PlaybackPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  speed_ = new QComboBox(this);
  speed_->addItem(tr("1× (real time)"), 1.0);
  speed_->addItem(tr("4×"), 4.0);
  speed_->addItem(tr("as fast as possible"), 0.0);
  speed_->setToolTip(tr("Stream the session through the backend as if it came from the collar"));
  form->addRow(tr("Speed"), speed_);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout();
  play_ = new QPushButton(tr("Play"), this);
  play_->setToolTip(tr("Stream the session from the cursor (or the selection's start) (Space)"));
  stop_ = new QPushButton(tr("Stop"), this);
  stop_->setEnabled(false);
  buttons->addWidget(play_);
  buttons->addWidget(stop_);
  layout->addLayout(buttons);
  auto* readout = new QFormLayout();
  windows_ = new QLabel(QStringLiteral("–"), this);
  latency_ = new QLabel(QStringLiteral("–"), this);
  latency_->setToolTip(tr("Per-window latency (windowing, normalization, inference) against the "
                          "contract's p95 < %1 ms budget")
                           .arg(kLatencyBudgetP95_ms));
  throughput_ = new QLabel(QStringLiteral("–"), this);
  throughput_->setToolTip(
      tr("Windows per second achieved against the contract's %1/s").arg(kThroughputTarget_wps));
  readout->addRow(tr("Windows"), windows_);
  readout->addRow(tr("Latency"), latency_);
  readout->addRow(tr("Throughput"), throughput_);
  layout->addLayout(readout);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  layout->addStretch(1);
  connect(play_, &QPushButton::clicked, this, &PlaybackPanel::playRequested);
  connect(stop_, &QPushButton::clicked, this, &PlaybackPanel::stopRequested);
}

double PlaybackPanel::speed() const {
  return speed_->currentData().toDouble();
}

void PlaybackPanel::setRunning(bool running) {
  play_->setEnabled(!running);
  stop_->setEnabled(running);
  speed_->setEnabled(!running);
}

void PlaybackPanel::showStats(const LatencyStats& stats) {
  windows_->setText(stats.windowsTotal > stats.windows
                        ? tr("%1 of %2").arg(stats.windows).arg(stats.windowsTotal)
                        : QString::number(stats.windows));
  const bool latencyOk = stats.p95_ms < kLatencyBudgetP95_ms;
  latency_->setText(tr("p50 %1 ms · p95 %2 ms — %3 (budget %4 ms)")
                        .arg(stats.p50_ms, 0, 'f', 2)
                        .arg(stats.p95_ms, 0, 'f', 2)
                        .arg(latencyOk ? tr("within") : tr("OVER"))
                        .arg(kLatencyBudgetP95_ms));
  latency_->setStyleSheet(latencyOk ? QString() : QStringLiteral("color: #e15759;"));
  const bool rateOk = stats.windowsPerSecond >= kThroughputTarget_wps;
  throughput_->setText(tr("%1 windows/s — %2 target %3/s")
                           .arg(stats.windowsPerSecond, 0, 'f', 1)
                           .arg(rateOk ? tr("meets") : tr("below"))
                           .arg(kThroughputTarget_wps));
}

void PlaybackPanel::setStatus(const QString& text) {
  status_->setText(text);
}
QString PlaybackPanel::latencyText() const {
  return latency_->text();
}
QString PlaybackPanel::throughputText() const {
  return throughput_->text();
}

}  // namespace imuwb::widgets

namespace imuwb::widgets {

void PlaybackPanel::clearStats() {
  for (auto* label : {windows_, latency_, throughput_}) {
    label->setText(QStringLiteral("–"));
    label->setStyleSheet({});
  }
}

QString PlaybackPanel::statusText() const {
  return status_->text();
}

QString PlaybackPanel::windowsText() const {
  return windows_->text();
}

void PlaybackPanel::setSpeed(double speed) {
  const int index = speed_->findData(speed);
  if (index >= 0) speed_->setCurrentIndex(index);
}

}  // namespace imuwb::widgets
