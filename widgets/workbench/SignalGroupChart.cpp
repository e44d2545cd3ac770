#include "SignalGroupChart.hpp"

#include <QValueAxis>
#include <cmath>

#include "SessionPlotData.hpp"
#include "TimeAxisModel.hpp"
#include "TracePoints.hpp"

namespace imuwb::widgets {

QString sensorGroupName(SensorGroup group) {
  switch (group) {
    case SensorGroup::Accelerometer:
      return QStringLiteral("acc");
    case SensorGroup::Gyroscope:
      return QStringLiteral("gyro");
    case SensorGroup::Magnetometer:
      return QStringLiteral("mag");
  }
  return {};
}

SignalGroupChart::SignalGroupChart(TimeAxisModel* axis, std::shared_ptr<const SessionPlotData> data,
                                   std::size_t device, SensorGroup group, QWidget* parent)
    : TimeChartView(axis, parent), data_(std::move(data)), device_(device), group_(group) {
  QList<QPair<QString, QColor>> legend;
  for (int k = 0; k < 3; ++k) {
    const int channel = firstChannel() + k;
    names_[k] = QString::fromUtf8(kChannelNames[channel].data(),
                                  static_cast<qsizetype>(kChannelNames[channel].size()));
    legend.append({names_[k], channelColor(k)});
  }
  const auto& dev = data_->session().devices[device_];
  const auto unit = kChannelUnits[firstChannel()];
  setTitleText(QStringLiteral("%1 · %2 (%3)")
                   .arg(QString::fromStdString(dev.name), sensorGroupName(group_),
                        QString::fromUtf8(unit.data(), static_cast<qsizetype>(unit.size()))));
  setLegendEntries(legend);
  setToolTip(
      tr("Wheel: zoom · drag: pan · click: cursor · Shift+drag: select · "
         "double-click: zoom to selection / show all"));
}

QString SignalGroupChart::describeAt(QPointF position) const {
  const auto& session = data_->session();
  const std::size_t count = session.sampleCount();
  if (count == 0 || !plotRect().contains(position)) return {};
  const double t = mapping().toTime(position.x());
  std::size_t row = std::min(data_->indexAt(t), count - 1);
  if (row > 0 && std::abs(session.timeAt(row - 1) - t) <= std::abs(session.timeAt(row) - t)) --row;
  if (std::abs(session.timeAt(row) - t) > 1.0 / session.sampleRateHz) return {};  // off the data
  const auto& device = session.devices[device_];
  const auto unit = kChannelUnits[firstChannel()];
  QStringList lines;
  lines << tr("%1 · %2 at %3 (sample %4)")
               .arg(QString::fromStdString(device.name), sensorGroupName(group_),
                    formatTime(session.timeAt(row), 0.01))
               .arg(row);
  for (int k = 0; k < 3; ++k)
    lines << QStringLiteral("%1: %2 %3")
                 .arg(names_[k])
                 .arg(static_cast<double>(device.at(row, firstChannel() + k)), 0, 'g', 5)
                 .arg(QString::fromUtf8(unit.data(), static_cast<qsizetype>(unit.size())));
  return lines.join('\n');
}

void SignalGroupChart::refreshData() {
  const auto view = timeAxis()->view();
  const int columns = static_cast<int>(plotRect().width());
  analysis::MinMax extent;
  std::vector<Trace> traces;
  for (int k = 0; k < 3; ++k) {
    const auto trace = data_->trace(device_, firstChannel() + k, view.start_s, view.end_s, columns);
    extent.merge(trace.extent);
    traces.push_back(Trace{widgets::tracePoints(trace), channelColor(k)});
  }
  setTraces(std::move(traces));
  if (extent.empty()) extent = {-1.f, 1.f};
  const double pad = std::max(1e-3, 0.06 * (extent.max - extent.min));
  yAxis()->setRange(extent.min - pad, extent.max + pad);
}

}  // namespace imuwb::widgets
