#include "ReviewPanel.hpp"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "ConfusionMatrixView.hpp"
#include "PlotGeometry.hpp"
#include "ReviewStretchModel.hpp"

namespace imuwb::widgets {

namespace {

QString percent(double value) {
  return QStringLiteral("%1 %").arg(100 * value, 0, 'f', 0);
}

QDoubleSpinBox* confidenceBox(QWidget* parent, double value, const QString& tip) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(0, 1);
  box->setSingleStep(0.05);
  box->setDecimals(2);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}

}  // namespace

ReviewPanel::ReviewPanel(QWidget* parent) : QWidget(parent) {
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  auto* left = new QWidget(splitter);
  auto* column = new QVBoxLayout(left);
  column->setContentsMargins(4, 4, 4, 4);
  summary_ = new QLabel(left);
  summary_->setWordWrap(true);
  column->addWidget(summary_);
  column->addWidget(buildFilters());
  model_ = new ReviewStretchModel(this);
  list_ = new QTableView(left);
  list_->setObjectName("review.list");
  list_->setModel(model_);
  list_->setSelectionBehavior(QAbstractItemView::SelectRows);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  list_->verticalHeader()->hide();
  list_->verticalHeader()->setDefaultSectionSize(list_->fontMetrics().height() + 4);
  list_->horizontalHeader()->setSectionsClickable(true);
  list_->horizontalHeader()->setSortIndicatorShown(true);
  list_->horizontalHeader()->setSortIndicator(ReviewStretchModel::Start, Qt::AscendingOrder);
  list_->horizontalHeader()->setStretchLastSection(true);
  // Fixed widths (contents-sized columns would scan every row of a day's list).
  list_->horizontalHeader()->setDefaultSectionSize(
      list_->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.0")) + 14);
  list_->setToolTip(tr("Click a stretch to jump there; click Start, Length or Confidence to sort"));
  column->addWidget(list_, 1);
  details_ = new QLabel(left);
  details_->setWordWrap(true);
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  column->addWidget(details_);
  matrix_ = new ConfusionMatrixView(splitter);
  matrix_->setPlaceholder(tr("run the model on a labelled session to review it"));
  matrix_->setToolTip(
      tr("This session's windows: rows the label, columns the prediction. "
         "Click a cell to list its stretches."));
  splitter->addWidget(left);
  splitter->addWidget(matrix_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setSizes({600, 400});  // the matrix wide enough to read its counts
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  connect(list_->horizontalHeader(), &QHeaderView::sectionClicked, this,
          &ReviewPanel::headerClicked);
  auto activate = [this](const QModelIndex& index) {
    const long stretch = model_->stretchAt(index.row());
    if (stretch < 0) return;
    setCurrent(stretch);
    emit stretchActivated(static_cast<std::size_t>(stretch));
  };
  connect(list_, &QTableView::clicked, this, activate);
  connect(list_, &QTableView::activated, this, activate);
  connect(matrix_, &ConfusionMatrixView::cellClicked, this, &ReviewPanel::showCell);
  setReview(nullptr, tr("Run the model on a labelled session to review where it disagrees."));
}

QWidget* ReviewPanel::buildFilters() {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  truthBox_ = new QComboBox(row);
  truthBox_->setObjectName("review.label");
  predictedBox_ = new QComboBox(row);
  predictedBox_->setObjectName("review.predicted");
  minBox_ = confidenceBox(row, 0, tr("Lowest mean confidence listed"));
  maxBox_ = confidenceBox(row, 1, tr("Mean confidence listed is below this (1 includes 1)"));
  layout->addWidget(new QLabel(tr("Label"), row));
  layout->addWidget(truthBox_, 1);
  layout->addWidget(new QLabel(tr("Predicted"), row));
  layout->addWidget(predictedBox_, 1);
  layout->addWidget(new QLabel(tr("Confidence"), row));
  layout->addWidget(minBox_);
  layout->addWidget(new QLabel(QStringLiteral("–"), row));
  layout->addWidget(maxBox_);
  connect(truthBox_, &QComboBox::currentIndexChanged, this, &ReviewPanel::filtersEdited);
  connect(predictedBox_, &QComboBox::currentIndexChanged, this, &ReviewPanel::filtersEdited);
  connect(minBox_, &QDoubleSpinBox::valueChanged, this, &ReviewPanel::filtersEdited);
  connect(maxBox_, &QDoubleSpinBox::valueChanged, this, &ReviewPanel::filtersEdited);
  return row;
}

void ReviewPanel::setReview(std::shared_ptr<const eval::SessionReview> review,
                            const QString& placeholder) {
  const bool sameClasses = review && review_ && review->classes == review_->classes;
  review_ = std::move(review);
  current_ = -1;
  if (!sameClasses) {
    updatingBoxes_ = true;
    for (auto* box : {truthBox_, predictedBox_}) {
      box->clear();
      box->addItem(tr("any"));
      if (review_)
        for (const auto& name : review_->classes) box->addItem(QString::fromStdString(name));
    }
    updatingBoxes_ = false;
    filter_.truth = filter_.predicted = -1;  // class indices of another model mean nothing
  }
  if (!review_) {
    summary_->setText(placeholder);
    matrix_->clear();
  } else {
    QStringList names;
    for (const auto& name : review_->classes) names << QString::fromStdString(name);
    std::vector<long long> counts;
    const std::size_t k = review_->classes.size();
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p)
        counts.push_back(static_cast<long long>(review_->confusion.count(t, p)));
    matrix_->setMatrix(names, std::move(counts), false);
    const auto& r = *review_;
    summary_->setText(
        tr("%1 disagreement stretches over %2 labelled windows (%3 agree); %4 windows "
           "unlabelled, %5 with a label the model does not have.")
            .arg(r.disagreements)
            .arg(r.confusion.total())
            .arg(percent(r.confusion.total() ? double(r.confusion.correct()) / r.confusion.total()
                                             : 0))
            .arg(r.unlabelled)
            .arg(r.unknownLabel));
  }
  setFilter(filter_);
}

void ReviewPanel::setFilter(const eval::StretchFilter& filter) {
  filter_ = filter;
  updatingBoxes_ = true;
  truthBox_->setCurrentIndex(std::max(0, filter_.truth + 1));
  predictedBox_->setCurrentIndex(std::max(0, filter_.predicted + 1));
  minBox_->setValue(filter_.minConfidence);
  maxBox_->setValue(filter_.maxConfidence);
  updatingBoxes_ = false;
  matrix_->setSelectedCell(filter_.truth >= 0 && filter_.predicted >= 0 ? filter_.truth : -1,
                           filter_.truth >= 0 && filter_.predicted >= 0 ? filter_.predicted : -1);
  relist();
}

void ReviewPanel::filtersEdited() {
  if (updatingBoxes_) return;
  eval::StretchFilter filter;
  filter.truth = truthBox_->currentIndex() - 1;
  filter.predicted = predictedBox_->currentIndex() - 1;
  filter.minConfidence = minBox_->value();
  filter.maxConfidence = maxBox_->value();
  setFilter(filter);
}

void ReviewPanel::showCell(int label, int prediction) {
  setFilter(eval::StretchFilter{label, prediction, 0, 1});
}

void ReviewPanel::setOrder(eval::StretchOrder order, bool descending) {
  order_ = order;
  descending_ = descending;
  const int section = order == eval::StretchOrder::Length       ? ReviewStretchModel::Length
                      : order == eval::StretchOrder::Confidence ? ReviewStretchModel::MeanConfidence
                                                                : ReviewStretchModel::Start;
  list_->horizontalHeader()->setSortIndicator(
      section, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
  relist();
}

void ReviewPanel::headerClicked(int section) {
  const auto order = section == ReviewStretchModel::Length ? eval::StretchOrder::Length
                     : section == ReviewStretchModel::MeanConfidence
                         ? eval::StretchOrder::Confidence
                         : eval::StretchOrder::Time;
  // The same column again flips the direction; a new one starts longest / most confident first.
  const bool descending = order == order_ ? !descending_ : order != eval::StretchOrder::Time;
  setOrder(order, descending);
}

const std::vector<std::size_t>& ReviewPanel::listed() const {
  return model_->rows();
}

void ReviewPanel::relist() {
  byTime_ =
      review_ ? eval::selectStretches(review_->stretches, filter_) : std::vector<std::size_t>{};
  auto rows = byTime_;
  if (review_) eval::sortStretches(rows, review_->stretches, order_, descending_);
  model_->setRows(review_, std::move(rows));
  setCurrent(current_);
  emit listChanged();
}

void ReviewPanel::setCurrent(long stretch) {
  if (!review_ || stretch < 0 || static_cast<std::size_t>(stretch) >= review_->stretches.size())
    stretch = -1;
  current_ = stretch;
  const int row = stretch < 0 ? -1 : model_->rowOf(static_cast<std::size_t>(stretch));
  if (row < 0) {
    list_->selectionModel()->clearSelection();
  } else {
    const auto index = model_->index(row, 0);
    list_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    list_->scrollTo(index);
  }
  showDetails();
}

QString ReviewPanel::detailsText() const {
  if (!review_ || current_ < 0) return tr("Next disagreement: ]   previous: [");
  const auto& s = review_->stretches[static_cast<std::size_t>(current_)];
  auto name = [this](int cls) {
    return QString::fromStdString(review_->classes.at(static_cast<std::size_t>(cls)));
  };
  QStringList top;
  for (const auto& entry : s.top)
    if (entry.cls >= 0)
      top << QStringLiteral("%1 %2").arg(name(entry.cls), percent(entry.probability));
  return tr("%1 – %2: labelled %3, predicted %4 · %5 windows · confidence mean %6, lowest %7 · "
            "top 3 at its most confident window: %8")
      .arg(formatTime(s.start_s, 0.1), formatTime(s.end_s, 0.1), name(s.truth), name(s.predicted))
      .arg(s.windows)
      .arg(percent(s.meanConfidence), percent(s.minConfidence), top.join(QStringLiteral(", ")));
}

void ReviewPanel::showDetails() {
  details_->setText(detailsText());
}

}  // namespace imuwb::widgets
