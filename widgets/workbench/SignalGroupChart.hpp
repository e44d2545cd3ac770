#pragma once
// One sensor group (acc, gyro or mag: three channels) of one device on the shared time axis.
// Every refresh asks core for at most two points per pixel column (exact min/max), so a 24 h
// recording costs the same to draw as a 10 s one.
#include <memory>

#include "TimeChartView.hpp"
#include "common/Channels.hpp"

namespace imuwb::widgets {

class SessionPlotData;

QString sensorGroupName(SensorGroup group);  // "acc", "gyro", "mag"

class SignalGroupChart : public TimeChartView {
  Q_OBJECT
 public:
  SignalGroupChart(TimeAxisModel* axis, std::shared_ptr<const SessionPlotData> data,
                   std::size_t device, SensorGroup group, QWidget* parent = nullptr);
  std::size_t device() const { return device_; }
  SensorGroup group() const { return group_; }
  int firstChannel() const { return static_cast<int>(group_) * 3; }
  // The hover readout: the sample nearest the pointer's time, its time and its three values.
  QString describeAt(QPointF position) const override;

 protected:
  void refreshData() override;

 private:
  std::shared_ptr<const SessionPlotData> data_;
  std::size_t device_;
  SensorGroup group_;
  QString names_[3];
};

}  // namespace imuwb::widgets
