#include "TimelineView.hpp"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "DefaultDockLayout.hpp"
#include "LabelBands.hpp"
#include "LabelStrip.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

TimelineView::TimelineView(TimeAxisModel* axis, const ClassPalette* palette, QWidget* parent)
    : QWidget(parent), axis_(axis), palette_(palette) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  strip_ = new LabelStrip(axis_, palette_, this);
  layout->addWidget(strip_);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  // No scroll bars: they would steal width and break the column alignment with the docks.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  chartsHost_ = new QWidget(scroll);
  chartsLayout_ = new QVBoxLayout(chartsHost_);
  chartsLayout_->setContentsMargins(0, 0, 0, 0);
  chartsLayout_->setSpacing(1);
  emptyHint_ = new QLabel(tr("Open a session (Ctrl+O) or drop a session file and a model "
                             "bundle here."),
                          chartsHost_);
  emptyHint_->setAlignment(Qt::AlignCenter);
  chartsLayout_->addWidget(emptyHint_);
  scroll->setWidget(chartsHost_);
  layout->addWidget(scroll, 1);
}

void TimelineView::setSession(std::shared_ptr<const SessionPlotData> data) {
  for (auto* chart : charts_) delete chart;
  charts_.clear();
  data_ = std::move(data);
  emptyHint_->setVisible(!data_);
  if (!data_) {
    strip_->setLabels({});
    strip_->setPredicted({});
    return;
  }
  const auto& session = data_->session();
  axis_->setExtent({session.timeAt(0), session.timeAt(0) + session.durationSeconds()});
  strip_->setLabels(toTimeBands(session.labels));
  strip_->setPredicted({});
  for (std::size_t d = 0; d < data_->deviceCount(); ++d) {
    for (auto group :
         {SensorGroup::Accelerometer, SensorGroup::Gyroscope, SensorGroup::Magnetometer}) {
      // A 6-axis device has no magnetometer chart, rather than an empty one.
      if (group == SensorGroup::Magnetometer && !session.devices[d].hasMagnetometer()) continue;
      auto* chart = new SignalGroupChart(axis_, data_, d, group, chartsHost_);
      chart->setLabelBands(toTimeBands(session.labels), palette_);
      // Six charts must fit a 700 px high window with the output docks below (the scroll area
      // has no scroll bars: a chart pushed past its bottom would simply not be seen).
      chart->setMinimumHeight(kReadableChartHeight);
      chartsLayout_->addWidget(chart, 1);
      charts_.push_back(chart);
    }
  }
}

void TimelineView::setPredicted(std::vector<LabelInterval> predicted) {
  strip_->setPredicted(toTimeBands(predicted));
}

void TimelineView::refreshNow() {
  for (auto* chart : charts_) chart->refreshNow();
}

}  // namespace imuwb::widgets
