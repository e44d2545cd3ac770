#include "CalibRangeList.hpp"

#include <algorithm>

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

namespace imuwb::widgets {

namespace {

// "collar  1:02.50 – 2:10.00  (67.5 s)"
QString clock(double seconds) {
  const int minutes = static_cast<int>(seconds / 60);
  return QStringLiteral("%1:%2").arg(minutes).arg(seconds - minutes * 60.0, 5, 'f', 2, '0');
}

QString rangeText(const quant::CalibrationRange& range) {
  return QStringLiteral("%1   %2 – %3   (%4 s)")
      .arg(QString::fromStdString(range.device), clock(range.startSeconds), clock(range.endSeconds))
      .arg(range.endSeconds - range.startSeconds, 0, 'f', 1);
}

}  // namespace

CalibRangeList::CalibRangeList(TimeAxisModel* axis, QWidget* parent)
    : QWidget(parent), axis_(axis) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  list_ = new QListWidget(this);
  list_->setObjectName("calib.ranges");
  list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  list_->setToolTip(tr("Windows must lie fully inside one of these ranges (none: whole session)"));
  grid->addWidget(list_, 0, 0, 1, 4);
  device_ = new QComboBox(this);
  device_->setToolTip(tr("The device the range is on (--range DEVICE:START-END)"));
  add_ = new QPushButton(tr("Add timeline selection"), this);
  add_->setObjectName("calib.addSelection");
  add_->setToolTip(tr("Shift+drag on the timeline to select a time range, then add it here"));
  remove_ = new QPushButton(tr("Remove"), this);
  remove_->setObjectName("calib.removeRange");
  grid->addWidget(new QLabel(tr("Device"), this), 1, 0);
  grid->addWidget(device_, 1, 1);
  grid->addWidget(add_, 1, 2);
  grid->addWidget(remove_, 1, 3);
  grid->setColumnStretch(1, 1);
  connect(add_, &QPushButton::clicked, this, [this] { addSelection(); });
  connect(remove_, &QPushButton::clicked, this, [this] {
    const auto selected = list_->selectedItems();
    std::vector<int> rows;
    for (const auto* item : selected) rows.push_back(list_->row(item));
    std::sort(rows.rbegin(), rows.rend());
    for (const int row : rows) removeRange(row);
  });
  connect(list_, &QListWidget::itemSelectionChanged, this, &CalibRangeList::updateButtons);
  if (axis_) connect(axis_, &TimeAxisModel::selectionChanged, this, &CalibRangeList::updateButtons);
  refresh();
}

void CalibRangeList::setDevices(const QStringList& devices) {
  const QString previous = device();
  device_->clear();
  device_->addItems(devices);
  if (devices.contains(previous)) setDevice(previous);
  updateButtons();
}

void CalibRangeList::setDevice(const QString& device) {
  device_->setCurrentIndex(device_->findText(device));
}

QString CalibRangeList::device() const {
  return device_->currentText();
}

bool CalibRangeList::addSelection() {
  if (!axis_ || !axis_->selection().valid() || device().isEmpty()) return false;
  const TimeRange selection = axis_->selection();
  addRange({device().toStdString(), selection.start_s, selection.end_s});
  return true;
}

void CalibRangeList::addRange(const quant::CalibrationRange& range) {
  ranges_.push_back(range);
  refresh();
  emit changed();
}

void CalibRangeList::removeRange(int index) {
  if (index < 0 || index >= static_cast<int>(ranges_.size())) return;
  ranges_.erase(ranges_.begin() + index);
  refresh();
  emit changed();
}

void CalibRangeList::clear() {
  if (ranges_.empty()) return;
  ranges_.clear();
  refresh();
  emit changed();
}

void CalibRangeList::refresh() {
  list_->clear();
  for (const auto& range : ranges_) list_->addItem(rangeText(range));
  if (ranges_.empty()) {
    auto* hint = new QListWidgetItem(tr("(no range: the whole session)"), list_);
    hint->setFlags(Qt::NoItemFlags);
  }
  updateButtons();
}

void CalibRangeList::updateButtons() {
  add_->setEnabled(axis_ && axis_->selection().valid() && !device().isEmpty());
  remove_->setEnabled(!ranges_.empty() && !list_->selectedItems().isEmpty());
}

}  // namespace imuwb::widgets
