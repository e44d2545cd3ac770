#include "CalibClassPicker.hpp"

#include <algorithm>

#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

CalibClassPicker::CalibClassPicker(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  list_ = new QListWidget(this);
  list_->setObjectName("calib.classes");
  list_->setToolTip(
      workbenchTr("Take only windows wholly inside an interval of a checked class (--classes)"));
  layout->addWidget(list_);
  auto* hint = new QLabel(workbenchTr("None checked: every window, labelled or not."), this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  connect(list_, &QListWidget::itemChanged, this, &CalibClassPicker::changed);
}

void CalibClassPicker::setClasses(const QStringList& classes) {
  const auto wasChecked = checked();
  {
    const QSignalBlocker block(list_);
    list_->clear();
    for (const auto& name : classes) {
      auto* item = new QListWidgetItem(name, list_);
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
      const bool on =
          std::find(wasChecked.begin(), wasChecked.end(), name.toStdString()) != wasChecked.end();
      item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
  }
  emit changed();
}

QStringList CalibClassPicker::classes() const {
  QStringList names;
  for (int i = 0; i < list_->count(); ++i) names << list_->item(i)->text();
  return names;
}

void CalibClassPicker::setChecked(const QStringList& classes) {
  {
    const QSignalBlocker block(list_);
    for (int i = 0; i < list_->count(); ++i) {
      auto* item = list_->item(i);
      item->setCheckState(classes.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
  }
  emit changed();
}

std::vector<std::string> CalibClassPicker::checked() const {
  std::vector<std::string> names;
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->checkState() == Qt::Checked)
      names.push_back(list_->item(i)->text().toStdString());
  return names;
}

}  // namespace imuwb::widgets
