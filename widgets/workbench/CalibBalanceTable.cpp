#include "CalibBalanceTable.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return workbenchTr(text);
}

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

QString shapeText(const std::vector<std::int64_t>& shape) {
  QStringList dims;
  for (const auto d : shape) dims << QString::number(d);
  return "[" + dims.join(", ") + "]";
}

QTableWidgetItem* cell(const QString& text, bool number) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

// The findings about one class (rare, absent, limiting balance), as a short note.
QString classNote(const quant::CalibrationPlan& plan, const std::string& name) {
  QStringList notes;
  for (const auto& f : plan.findings) {
    if (f.subject != name) continue;
    if (f.code == "calib_balance_limited") notes << tr("limits the balance");
    if (f.code == "calib_rare_class") notes << tr("rare (< 2 %)");
    if (f.code == "calib_class_absent") notes << tr("asked for, no window");
  }
  return notes.join(", ");
}

}  // namespace

QColor CalibBalanceTable::warningColor() {
  return QColor(0xd6, 0x27, 0x28);
}

CalibBalanceTable::CalibBalanceTable(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new QTableWidget(0, ColumnCount, this);
  table_->setObjectName("calib.balance");
  table_->setHorizontalHeaderLabels({tr("Class"), tr("Candidates"), tr("Exported"), tr("Note")});
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  table_->setMinimumHeight(7 * (fontMetrics().height() + 8));
  layout->addWidget(table_, 3);
  summary_ = new QLabel(this);
  summary_->setObjectName("calib.summary");
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  excluded_ = new QLabel(this);
  excluded_->setWordWrap(true);
  layout->addWidget(excluded_);
  warnings_ = new QListWidget(this);
  warnings_->setObjectName("calib.warnings");
  warnings_->setWordWrap(true);
  layout->addWidget(warnings_, 2);
}

void CalibBalanceTable::fillRow(int row, const QString& name, std::size_t candidates,
                                std::size_t exported, const QString& note, bool warn) {
  table_->setItem(row, ClassColumn, cell(name, false));
  table_->setItem(row, CandidatesColumn, cell(QString::number(candidates), true));
  table_->setItem(row, ExportedColumn, cell(QString::number(exported), true));
  table_->setItem(row, NoteColumn, cell(note, false));
  if (!warn) return;
  for (int c = 0; c < ColumnCount; ++c) table_->item(row, c)->setForeground(warningColor());
}

void CalibBalanceTable::showPlan(const quant::CalibrationPlan& plan, const QStringList& classes) {
  QStringList rows = classes;
  for (const auto& [name, count] : plan.candidateHistogram)
    if (!rows.contains(qstr(name))) rows << qstr(name);
  table_->setRowCount(static_cast<int>(rows.size()) + 1);
  for (int r = 0; r < rows.size(); ++r) {
    const std::string name = rows[r].toStdString();
    const auto candidates =
        plan.candidateHistogram.count(name) ? plan.candidateHistogram.at(name) : 0;
    const auto exported = plan.classHistogram.count(name) ? plan.classHistogram.at(name) : 0;
    QString note = classNote(plan, name);
    if (candidates == 0 && note.isEmpty()) note = tr("no window in the selection");
    fillRow(r, rows[r], candidates, exported, note, candidates == 0 || !note.isEmpty());
  }
  const int total = static_cast<int>(rows.size());
  fillRow(total, tr("Total"), plan.available, plan.exported, {}, plan.exported < plan.requested);
  QFont bold = table_->font();
  bold.setBold(true);
  for (int c = 0; c < ColumnCount; ++c) table_->item(total, c)->setFont(bold);

  summary_->setText(tr("<b>%1</b> of %2 requested windows · layout %3 · array %4 float32")
                        .arg(plan.exported)
                        .arg(plan.requested)
                        .arg(qstr(plan.layout), shapeText(plan.shape)));
  const auto& s = plan.selection;
  excluded_->setText(tr("Of %1 windows: %2 out of range, %3 unlabelled, %4 straddle a label "
                        "boundary, %5 of other classes.")
                         .arg(s.windows)
                         .arg(s.outOfRange)
                         .arg(s.unlabelled)
                         .arg(s.straddling)
                         .arg(s.otherClass));
  warnings_->clear();
  for (const auto& f : plan.findings) {
    const QString fix = f.fix.empty() ? QString() : "\n  " + tr("fix: %1").arg(qstr(f.fix));
    auto* item = new QListWidgetItem(qstr(f.message) + fix, warnings_);
    item->setIcon(style()->standardIcon(f.severity == Severity::Error
                                            ? QStyle::SP_MessageBoxCritical
                                            : QStyle::SP_MessageBoxWarning));
    item->setToolTip(qstr(f.code));
    item->setData(Qt::UserRole, qstr(f.code));
  }
  setEnabled(true);
}

void CalibBalanceTable::showPending() {
  summary_->setText(tr("Counting windows…"));
}

void CalibBalanceTable::showError(const QString& message) {
  table_->setRowCount(0);
  summary_->setText(tr("<b>Cannot plan this selection.</b>"));
  excluded_->clear();
  warnings_->clear();
  auto* item = new QListWidgetItem(message, warnings_);
  item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
  item->setToolTip(message);
}

}  // namespace imuwb::widgets
