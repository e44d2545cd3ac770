#include "ReviewStretchModel.hpp"

#include <algorithm>

#include "PlotGeometry.hpp"

namespace imuwb::widgets {

void ReviewStretchModel::setRows(std::shared_ptr<const eval::SessionReview> review,
                                 std::vector<std::size_t> rows) {
  beginResetModel();
  review_ = std::move(review);
  rows_ = review_ ? std::move(rows) : std::vector<std::size_t>{};
  endResetModel();
}

long ReviewStretchModel::stretchAt(int row) const {
  if (row < 0 || row >= rowCount()) return -1;
  return static_cast<long>(rows_[static_cast<std::size_t>(row)]);
}

int ReviewStretchModel::rowOf(std::size_t stretch) const {
  const auto it = std::find(rows_.begin(), rows_.end(), stretch);
  return it == rows_.end() ? -1 : static_cast<int>(it - rows_.begin());
}

int ReviewStretchModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ReviewStretchModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : Count;
}

QVariant ReviewStretchModel::data(const QModelIndex& index, int role) const {
  if (!review_ || !index.isValid() || index.row() >= rowCount()) return {};
  const auto& s = review_->stretches[rows_[static_cast<std::size_t>(index.row())]];
  if (role == Qt::TextAlignmentRole)
    return index.column() == Label || index.column() == Predicted
               ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
               : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  auto name = [this](int cls) {
    return QString::fromStdString(review_->classes.at(static_cast<std::size_t>(cls)));
  };
  switch (index.column()) {
    case Start:
      return formatTime(s.start_s, 0.1);
    case Length:
      return QStringLiteral("%1 s").arg(s.length_s(), 0, 'f', 1);
    case Label:
      return name(s.truth);
    case Predicted:
      return name(s.predicted);
    case MeanConfidence:
      return QStringLiteral("%1 %").arg(100 * s.meanConfidence, 0, 'f', 0);
    case MinConfidence:
      return QStringLiteral("%1 %").arg(100 * s.minConfidence, 0, 'f', 0);
    case Windows:
      return static_cast<qulonglong>(s.windows);
    default:
      return {};
  }
}

QVariant ReviewStretchModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Start:
      return tr("Start");
    case Length:
      return tr("Length");
    case Label:
      return tr("Label");
    case Predicted:
      return tr("Predicted");
    case MeanConfidence:
      return tr("Confidence");
    case MinConfidence:
      return tr("Lowest");
    case Windows:
      return tr("Windows");
    default:
      return {};
  }
}

}  // namespace imuwb::widgets
