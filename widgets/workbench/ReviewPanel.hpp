#pragma once
// The review panel: where the model disagrees with the labels of the open session.
// - a list of disagreement stretches, sortable by start, length or confidence (click a header),
//   filtered by label, by prediction and by a mean-confidence band;
// - the model's top-3 classes and confidence for the stretch under review;
// - the session's confusion matrix: a click on a cell lists that cell's stretches (a diagonal
//   cell lists the stretches where the model agrees).
// A click on a listed stretch emits stretchActivated; the main window jumps and zooms there
// (MainWindowReview.cpp). The numbers are core's (eval/Disagreements, eval/StretchSelection).
#include <QWidget>
#include <memory>
#include <vector>

#include "eval/Disagreements.hpp"
#include "eval/StretchSelection.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;
QT_END_NAMESPACE

namespace imuwb::widgets {

class ConfusionMatrixView;
class ReviewStretchModel;

class ReviewPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ReviewPanel(QWidget* parent = nullptr);

  // The open session's review; nullptr shows `placeholder` (why there is none).
  void setReview(std::shared_ptr<const eval::SessionReview> review, const QString& placeholder);
  std::shared_ptr<const eval::SessionReview> review() const { return review_; }

  eval::StretchFilter filter() const { return filter_; }
  void setFilter(const eval::StretchFilter& filter);  // the filter boxes follow
  void showCell(int label, int prediction);           // as a click on the matrix cell
  void setOrder(eval::StretchOrder order, bool descending);
  eval::StretchOrder order() const { return order_; }
  bool descending() const { return descending_; }
  // The stretches the filters let through: in time order (next/previous), and as listed.
  const std::vector<std::size_t>& byTime() const { return byTime_; }
  const std::vector<std::size_t>& listed() const;

  // The stretch under review: its row selected, its top-3 shown; -1 for none.
  void setCurrent(long stretch);
  long current() const { return current_; }
  QString detailsText() const;

  QTableView* list() const { return list_; }
  ReviewStretchModel* listModel() const { return model_; }
  ConfusionMatrixView* matrixView() const { return matrix_; }
  QComboBox* labelBox() const { return truthBox_; }
  QComboBox* predictedBox() const { return predictedBox_; }
  QDoubleSpinBox* minConfidenceBox() const { return minBox_; }
  QDoubleSpinBox* maxConfidenceBox() const { return maxBox_; }

 signals:
  void stretchActivated(std::size_t stretch);  // clicked in the list
  void listChanged();                          // filters or order changed what is listed

 private:
  QWidget* buildFilters();
  void filtersEdited();
  void relist();
  void headerClicked(int section);
  void showDetails();

  std::shared_ptr<const eval::SessionReview> review_;
  eval::StretchFilter filter_;
  eval::StretchOrder order_ = eval::StretchOrder::Time;
  bool descending_ = false;
  std::vector<std::size_t> byTime_;
  long current_ = -1;
  bool updatingBoxes_ = false;
  QLabel* summary_ = nullptr;
  QLabel* details_ = nullptr;
  QComboBox* truthBox_ = nullptr;
  QComboBox* predictedBox_ = nullptr;
  QDoubleSpinBox* minBox_ = nullptr;
  QDoubleSpinBox* maxBox_ = nullptr;
  QTableView* list_ = nullptr;
  ReviewStretchModel* model_ = nullptr;
  ConfusionMatrixView* matrix_ = nullptr;
};

}  // namespace imuwb::widgets
