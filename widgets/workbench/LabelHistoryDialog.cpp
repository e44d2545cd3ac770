#include "LabelHistoryDialog.hpp"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "LabelSaveController.hpp"

namespace imuwb::widgets {

LabelHistoryDialog::LabelHistoryDialog(LabelSaveController* saving, QWidget* parent)
    : QDialog(parent), saving_(saving) {
  setWindowTitle(tr("Label history"));
  auto* layout = new QVBoxLayout(this);
  auto* where = new QLabel(saving_->sidecarPath().isEmpty()
                               ? tr("No labels file has been saved for this session yet.")
                               : tr("Versions kept in %1").arg(saving_->sidecarPath()),
                           this);
  where->setWordWrap(true);
  layout->addWidget(where);
  table_ = new QTableWidget(0, 5, this);
  table_->setHorizontalHeaderLabels(
      {tr("Revision"), tr("Author"), tr("Time"), tr("Intervals"), tr("Note")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  layout->addWidget(table_, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  restore_ = buttons->addButton(tr("Restore This Version"), QDialogButtonBox::ActionRole);
  restore_->setToolTip(tr("Save the selected version as a new revision; every version is kept"));
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(restore_, &QPushButton::clicked, this, &LabelHistoryDialog::restoreSelected);
  connect(table_, &QTableWidget::itemSelectionChanged, this,
          [this] { restore_->setEnabled(table_->currentRow() > 0); });
  layout->addWidget(buttons);
  resize(640, 360);
  refresh();
}

void LabelHistoryDialog::refresh() {
  versions_ = saving_->history();
  table_->setRowCount(static_cast<int>(versions_.size()));
  for (std::size_t i = 0; i < versions_.size(); ++i) {
    const auto& version = versions_[i];
    const int row = static_cast<int>(i);
    const QString revision =
        i == 0 ? tr("%1 (current)").arg(version.revision) : QString::number(version.revision);
    const QStringList cells = {
        revision, QString::fromStdString(version.author), QString::fromStdString(version.time),
        QString::number(version.labels.intervals.size()), QString::fromStdString(version.note)};
    for (int c = 0; c < cells.size(); ++c) table_->setItem(row, c, new QTableWidgetItem(cells[c]));
  }
  table_->resizeColumnsToContents();
  restore_->setEnabled(table_->currentRow() > 0);
}

bool LabelHistoryDialog::restoreSelected() {
  const int row = table_->currentRow();
  if (row <= 0 || row >= static_cast<int>(versions_.size())) return false;
  const bool restored = saving_->restore(versions_[static_cast<std::size_t>(row)].revision);
  refresh();
  return restored;
}

}  // namespace imuwb::widgets
