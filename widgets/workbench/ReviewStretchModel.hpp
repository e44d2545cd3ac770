#pragma once
// The review panel's list: one row per disagreement stretch (start, length, label, prediction,
// mean and lowest confidence, windows), over indices into a SessionReview, so a day's thousands
// of stretches cost a vector of indices, not an item per cell.
#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "eval/Disagreements.hpp"

namespace imuwb::widgets {

class ReviewStretchModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Start, Length, Label, Predicted, MeanConfidence, MinConfidence, Windows, Count };
  using QAbstractTableModel::QAbstractTableModel;

  void setRows(std::shared_ptr<const eval::SessionReview> review, std::vector<std::size_t> rows);
  const std::vector<std::size_t>& rows() const { return rows_; }
  long stretchAt(int row) const;         // -1 outside
  int rowOf(std::size_t stretch) const;  // -1 when not listed

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const eval::SessionReview> review_;
  std::vector<std::size_t> rows_;
};

}  // namespace imuwb::widgets
