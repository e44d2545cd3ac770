#include "FindingsPanel.hpp"

#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace imuwb::widgets {

FindingsPanel::FindingsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  list_ = new QTreeWidget(this);
  list_->setObjectName("messages.list");
  list_->setColumnCount(Columns);
  list_->setHeaderLabels({tr("Time"), tr("Level"), tr("While"), tr("Problem"), tr("Fix")});
  list_->setRootIsDecorated(false);
  list_->setWordWrap(true);
  list_->setAlternatingRowColors(true);
  list_->header()->setSectionResizeMode(Problem, QHeaderView::Stretch);
  list_->header()->setStretchLastSection(true);
  list_->setToolTip(tr("Errors and warnings of this window, newest first, with their fix"));
  layout->addWidget(list_);
  clear_ = new QPushButton(tr("Clear"), this);
  clear_->setToolTip(tr("Remove every message from the list"));
  layout->addWidget(clear_, 0, Qt::AlignRight);
  connect(clear_, &QPushButton::clicked, this, &FindingsPanel::clear);
}

void FindingsPanel::add(const WorkbenchMessage& message) {
  messages_.push_back(message);
  auto* item = new QTreeWidgetItem();
  item->setText(Time, message.time.toString(QStringLiteral("HH:mm:ss")));
  item->setText(Level, QString::fromUtf8(std::string(severityName(message.severity)).c_str()));
  item->setText(Context, message.context);
  item->setText(Problem, message.where.isEmpty()
                             ? message.problem
                             : message.problem + QStringLiteral("  (") + message.where + ')');
  item->setText(Fix, message.fix);
  for (int column = 0; column < Columns; ++column) item->setToolTip(column, message.fullText());
  list_->insertTopLevelItem(0, item);
  emit messageAdded(message);
}

void FindingsPanel::clear() {
  messages_.clear();
  list_->clear();
}

const WorkbenchMessage& FindingsPanel::message(int index) const {
  return messages_.at(static_cast<std::size_t>(index));
}

}  // namespace imuwb::widgets
