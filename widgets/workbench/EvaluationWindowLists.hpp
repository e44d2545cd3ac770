#pragma once
// The evaluation panel's window lists: the windows of one confusion-matrix cell, and the windows
// whose prediction flipped between the two backends. Each row keeps its window's start and end
// (column 0, kStartRole / kEndRole) so a click can move the timeline there. A list shows at most
// kMaxListedWindows rows (a day-long session can put 100k windows in one cell) and says so.
#include <QTableWidget>
#include <cstddef>
#include <vector>

#include "eval/EvaluationResult.hpp"

namespace imuwb::widgets {

inline constexpr int kMaxListedWindows = 5000;
inline constexpr int kStartRole = Qt::UserRole;
inline constexpr int kEndRole = Qt::UserRole + 1;

// Indices into result.windows of the labelled windows with this label that `side` predicted as
// `prediction`: the windows counted in that cell of the side's confusion matrix.
std::vector<std::size_t> cellWindows(const eval::EvaluationResult& result, std::size_t side,
                                     int label, int prediction);
// The windows of a cell of the difference matrix (B - A): in the cell on exactly one side.
std::vector<std::size_t> cellDifferenceWindows(const eval::EvaluationResult& result, int label,
                                               int prediction);

// Columns: time, label, predicted, confidence (of `side`; both sides' for a difference).
void fillCellTable(QTableWidget* table, const eval::EvaluationResult& result,
                   const std::vector<std::size_t>& windows, std::size_t side, bool difference);
// Columns: time, label, A's prediction, B's prediction. Empty without a comparison.
void fillFlippedTable(QTableWidget* table, const eval::EvaluationResult& result);

}  // namespace imuwb::widgets
