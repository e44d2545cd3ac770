#include "CalibCoverageTable.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "CalibBalanceTable.hpp"

namespace imuwb::widgets {

namespace {

QTableWidgetItem* cell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

CalibCoverageTable::CalibCoverageTable(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  table_ = new QTableWidget(0, ColumnCount, this);
  table_->setObjectName("calib.coverage");
  table_->setHorizontalHeaderLabels(
      {tr("Session"), tr("Worst channel"), tr("Outside range"), tr("Status")});
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  layout->addWidget(table_);
}

void CalibCoverageTable::showSummary(const CoverageSummary& summary) {
  table_->setRowCount(static_cast<int>(summary.sessions.size()));
  int warned = 0;
  for (int row = 0; row < table_->rowCount(); ++row) {
    const auto& s = summary.sessions[static_cast<std::size_t>(row)];
    auto* name = cell(QString::fromStdString(s.session.filename().string()));
    name->setToolTip(QString::fromStdString(s.session.string()));
    table_->setItem(row, SessionColumn, name);
    if (!s.error.empty()) {
      table_->setItem(row, ChannelColumn, cell({}));
      table_->setItem(row, OutsideColumn, cell({}));
      auto* error = cell(tr("not checked"));
      error->setToolTip(QString::fromStdString(s.error));
      table_->setItem(row, StatusColumn, error);
      continue;
    }
    table_->setItem(row, ChannelColumn, cell(QString::fromStdString(s.worstChannel)));
    table_->setItem(row, OutsideColumn,
                    cell(QStringLiteral("%1 %").arg(s.fraction * 100.0, 0, 'f', 2), true));
    table_->setItem(row, StatusColumn, cell(s.warned ? tr("outside the set's range") : tr("ok")));
    if (!s.warned) continue;
    ++warned;
    for (int c = 0; c < ColumnCount; ++c)
      table_->item(row, c)->setForeground(CalibBalanceTable::warningColor());
  }
  status_->setText(
      tr("%1 — %2 session(s) checked; warning above %3 % of a channel's samples outside the "
         "set's range (%4 warned).")
          .arg(QString::fromStdString(summary.calibrationSet.filename().string()))
          .arg(summary.sessions.size())
          .arg(summary.maxOutside * 100.0, 0, 'g', 3)
          .arg(warned));
}

void CalibCoverageTable::showStatus(const QString& text) {
  status_->setText(text);
}

}  // namespace imuwb::widgets
