#pragma once
// The calibration dialog's time ranges: a list of DEVICE START-END entries, each removable, filled
// from the main timeline's selection (Shift+drag on the timeline, then "Add timeline selection")
// for the device chosen beside the button. What the list holds is exactly the export's
// CalibExportJobOptions::ranges (`imuwb calib-export --range DEVICE:START-END`).
#include <QStringList>
#include <QWidget>
#include <vector>

#include "TimeAxisModel.hpp"
#include "quant/CalibrationSelection.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QListWidget;
class QPushButton;
QT_END_NAMESPACE

namespace imuwb::widgets {

class CalibRangeList : public QWidget {
  Q_OBJECT
 public:
  // axis: the main timeline's axis, whose selection "Add timeline selection" takes (may be null).
  explicit CalibRangeList(TimeAxisModel* axis, QWidget* parent = nullptr);

  void setDevices(const QStringList& devices);  // the session's devices; the first is chosen
  void setDevice(const QString& device);
  QString device() const;
  // Adds the axis's current selection as a range on the chosen device; false when none.
  bool addSelection();
  void addRange(const quant::CalibrationRange& range);
  void removeRange(int index);
  void clear();
  const std::vector<quant::CalibrationRange>& ranges() const { return ranges_; }

  QListWidget* list() const { return list_; }
  QPushButton* addButton() const { return add_; }
  QPushButton* removeButton() const { return remove_; }

 signals:
  void changed();  // a range was added or removed

 private:
  void refresh();
  void updateButtons();

  TimeAxisModel* axis_;
  std::vector<quant::CalibrationRange> ranges_;
  QListWidget* list_;
  QComboBox* device_;
  QPushButton* add_;
  QPushButton* remove_;
};

}  // namespace imuwb::widgets
