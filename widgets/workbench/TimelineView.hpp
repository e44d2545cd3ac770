#pragma once
// The central timeline: the clock ruler with label (and predicted) bands on top, then per device
// its acc, gyro and mag charts, all on one TimeAxisModel.
#include <QWidget>
#include <memory>
#include <vector>

#include "ClassPalette.hpp"
#include "session/Session.hpp"

QT_BEGIN_NAMESPACE
class QVBoxLayout;
class QLabel;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class LabelStrip;
class SignalGroupChart;
class SessionPlotData;

class TimelineView : public QWidget {
  Q_OBJECT
 public:
  TimelineView(TimeAxisModel* axis, const ClassPalette* palette, QWidget* parent = nullptr);
  // nullptr shows the empty state. Sets the axis extent to the session's duration.
  void setSession(std::shared_ptr<const SessionPlotData> data);
  std::shared_ptr<const SessionPlotData> session() const { return data_; }
  void setPredicted(std::vector<LabelInterval> predicted);
  LabelStrip* labelStrip() const { return strip_; }
  const std::vector<SignalGroupChart*>& charts() const { return charts_; }
  void refreshNow();  // recompute every chart's series immediately (tests, benchmarks)

 private:
  TimeAxisModel* axis_;
  const ClassPalette* palette_;
  std::shared_ptr<const SessionPlotData> data_;
  LabelStrip* strip_;
  QWidget* chartsHost_;
  QVBoxLayout* chartsLayout_;
  QLabel* emptyHint_;
  std::vector<SignalGroupChart*> charts_;
};

}  // namespace imuwb::widgets
