#include "EvaluationWindowLists.hpp"

#include <QHeaderView>
#include <QObject>
#include <algorithm>

#include "EvaluationText.hpp"

namespace imuwb::widgets {

namespace {

QString className(const eval::EvaluationResult& r, int c) {
  if (c == -2) return QObject::tr("(class the model lacks)");
  if (c < 0 || c >= static_cast<int>(r.classes.size())) return QObject::tr("(unlabelled)");
  return QString::fromStdString(r.classes[static_cast<std::size_t>(c)]);
}

void prepare(QTableWidget* table, const QStringList& headers, std::size_t rows) {
  table->clearContents();
  table->setColumnCount(static_cast<int>(headers.size()));
  table->setHorizontalHeaderLabels(headers);
  table->setRowCount(static_cast<int>(std::min<std::size_t>(rows, kMaxListedWindows)));
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->verticalHeader()->setVisible(false);
  table->horizontalHeader()->setStretchLastSection(true);
}

void setRow(QTableWidget* table, int row, const eval::EvaluatedWindow& w,
            const QStringList& cells) {
  auto* time = new QTableWidgetItem(windowTimeText(w.start_s));
  time->setData(kStartRole, w.start_s);
  time->setData(kEndRole, w.end_s);
  time->setToolTip(QObject::tr("window %1, %2 s to %3 s%4")
                       .arg(w.window)
                       .arg(w.start_s, 0, 'f', 2)
                       .arg(w.end_s, 0, 'f', 2)
                       .arg(w.mixedLabels ? QObject::tr(", straddles a label boundary") : ""));
  table->setItem(row, 0, time);
  for (int c = 0; c < cells.size(); ++c) table->setItem(row, c + 1, new QTableWidgetItem(cells[c]));
}

void noteCap(QTableWidget* table, std::size_t total) {
  table->setToolTip(
      total > kMaxListedWindows
          ? QObject::tr("the first %1 of %2 windows").arg(kMaxListedWindows).arg(total)
          : QObject::tr("%1 windows; click one to show it on the timeline").arg(total));
}

}  // namespace

std::vector<std::size_t> cellWindows(const eval::EvaluationResult& r, std::size_t side, int label,
                                     int prediction) {
  std::vector<std::size_t> out;
  const auto& predicted = r.sides.at(side).predicted;
  for (std::size_t i = 0; i < r.windows.size(); ++i)
    if (r.windows[i].label == label && predicted[i] == prediction) out.push_back(i);
  return out;
}

std::vector<std::size_t> cellDifferenceWindows(const eval::EvaluationResult& r, int label,
                                               int prediction) {
  std::vector<std::size_t> out;
  if (r.sides.size() < 2) return out;
  const auto& a = r.sides[0].predicted;
  const auto& b = r.sides[1].predicted;
  for (std::size_t i = 0; i < r.windows.size(); ++i)
    if (r.windows[i].label == label && ((a[i] == prediction) != (b[i] == prediction)))
      out.push_back(i);
  return out;
}

void fillCellTable(QTableWidget* table, const eval::EvaluationResult& r,
                   const std::vector<std::size_t>& windows, std::size_t side, bool difference) {
  prepare(table,
          {QObject::tr("time"), QObject::tr("label"), QObject::tr("predicted"),
           QObject::tr("confidence")},
          windows.size());
  for (int row = 0; row < table->rowCount(); ++row) {
    const std::size_t i = windows[static_cast<std::size_t>(row)];
    const auto& w = r.windows[i];
    if (!difference) {
      const auto& s = r.sides.at(side);
      setRow(table, row, w,
             {className(r, w.label), className(r, s.predicted[i]),
              QString::number(s.confidence[i], 'f', 3)});
      continue;
    }
    const auto& a = r.sides.at(0);
    const auto& b = r.sides.at(1);
    setRow(
        table, row, w,
        {className(r, w.label),
         QStringLiteral("%1 → %2").arg(className(r, a.predicted[i]), className(r, b.predicted[i])),
         QStringLiteral("%1 / %2")
             .arg(a.confidence[i], 0, 'f', 3)
             .arg(b.confidence[i], 0, 'f', 3)});
  }
  noteCap(table, windows.size());
}

void fillFlippedTable(QTableWidget* table, const eval::EvaluationResult& r) {
  const std::size_t total = r.comparison ? r.comparison->flipped.size() : 0;
  const QString a =
      r.sides.empty() ? QStringLiteral("A") : QString::fromStdString(r.sides[0].backend);
  const QString b =
      r.sides.size() < 2 ? QStringLiteral("B") : QString::fromStdString(r.sides[1].backend);
  prepare(table, {QObject::tr("time"), QObject::tr("label"), a, b}, total);
  for (int row = 0; row < table->rowCount(); ++row) {
    const auto& f = r.comparison->flipped[static_cast<std::size_t>(row)];
    eval::EvaluatedWindow w;
    w.window = f.window;
    w.start_s = f.start_s;
    w.end_s = f.end_s;
    setRow(table, row, w, {className(r, f.label), className(r, f.a), className(r, f.b)});
  }
  noteCap(table, total);
}

}  // namespace imuwb::widgets
