#include "EvaluationPanel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "BackendChoiceBox.hpp"
#include "ConfusionMatrixView.hpp"
#include "EvaluationText.hpp"
#include "EvaluationWindowLists.hpp"
#include "ReliabilityDiagramView.hpp"
#include "SetSizeStrip.hpp"
#include "jobs/EvaluateJob.hpp"

namespace imuwb::widgets {

namespace {

constexpr double kWindowCentre = 0.5;

QDoubleSpinBox* spinBox(double lo, double hi, double step, double value, const QString& tip,
                        QWidget* parent) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(lo, hi);
  box->setDecimals(3);
  box->setSingleStep(step);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}

QString scoreName(int index) {
  return index == 0 ? QStringLiteral("LAC") : QStringLiteral("APS");
}

}  // namespace

EvaluationPanel::EvaluationPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(buildControls());
  layout->addWidget(buildResults(), 1);
  display(nullptr);
}

QWidget* EvaluationPanel::buildControls() {
  const jobs::EvaluateJobOptions defaults;  // the CLI's defaults, in one place
  auto* box = new QWidget(this);
  auto* row = new QHBoxLayout(box);
  row->setContentsMargins(0, 0, 0, 0);
  auto* groupA = new QGroupBox(tr("Backend (A)"), box);
  groupA->setToolTip(tr("The backend evaluated against the labels (`imuwb evaluate --backend`)"));
  a_ = new BackendChoiceBox(groupA);
  (new QVBoxLayout(groupA))->addWidget(a_);
  auto* groupB = new QGroupBox(tr("Compare with (B)"), box);
  groupB->setToolTip(
      tr("A second backend, evaluated the same way and compared window by "
         "window (`--compare-backend`)"));
  auto* layoutB = new QVBoxLayout(groupB);
  compare_ = new QCheckBox(tr("compare"), groupB);
  b_ = new BackendChoiceBox(groupB);
  b_->setEnabled(false);
  layoutB->addWidget(compare_);
  layoutB->addWidget(b_);
  connect(compare_, &QCheckBox::toggled, b_, &QWidget::setEnabled);
  row->addWidget(groupA, 1);
  row->addWidget(groupB, 1);
  auto* settings = new QGroupBox(tr("Conformal sets"), box);
  auto* form = new QVBoxLayout(settings);
  alpha_ =
      spinBox(0.001, 0.999, 0.01, defaults.alpha,
              tr("Miscoverage level: sets cover 1 − alpha of the windows (--alpha)"), settings);
  split_ = spinBox(0.05, 0.95, 0.05, defaults.calibrationSplit,
                   tr("Fraction of labelled windows that calibrate the temperature and the "
                      "conformal threshold (--calibration-split)"),
                   settings);
  score_ = new QComboBox(settings);
  score_->addItems({tr("LAC sets"), tr("APS sets")});
  score_->setToolTip(tr("Which sets the strip under the class probabilities shows"));
  auto* line = new QHBoxLayout;
  line->addWidget(new QLabel(tr("alpha"), settings));
  line->addWidget(alpha_);
  line->addWidget(new QLabel(tr("split"), settings));
  line->addWidget(split_);
  form->addLayout(line);
  form->addWidget(score_);
  row->addWidget(settings);
  auto* buttons = new QVBoxLayout;
  run_ = new QPushButton(tr("Evaluate"), box);
  run_->setToolTip(tr("Evaluate the open model on the open session against its labels"));
  cancel_ = new QPushButton(tr("Cancel"), box);
  cancel_->setEnabled(false);
  progress_ = new QProgressBar(box);
  progress_->setRange(0, 1000);
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  buttons->addWidget(progress_);
  row->addLayout(buttons);
  connect(run_, &QPushButton::clicked, this, &EvaluationPanel::evaluateRequested);
  connect(cancel_, &QPushButton::clicked, this, &EvaluationPanel::cancelRequested);
  connect(score_, &QComboBox::currentIndexChanged, this, [this] { refreshStrip(); });
  return box;
}

QWidget* EvaluationPanel::buildResults() {
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 0, 0, 0);
  status_ = new QLabel(page);
  summary_ = new QLabel(page);
  summary_->setTextFormat(Qt::RichText);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  layout->addWidget(summary_);
  auto* splitter = new QSplitter(Qt::Horizontal, page);
  auto* matrixPage = new QWidget(splitter);
  auto* matrixLayout = new QVBoxLayout(matrixPage);
  matrixLayout->setContentsMargins(0, 0, 0, 0);
  matrixMode_ = new QComboBox(matrixPage);
  matrixMode_->addItems({tr("A"), tr("B"), tr("B − A difference")});
  matrix_ = new ConfusionMatrixView(matrixPage);
  matrixLayout->addWidget(matrixMode_);
  matrixLayout->addWidget(matrix_, 1);
  lists_ = new QTabWidget(splitter);
  cellTable_ = new QTableWidget(lists_);
  flippedTable_ = new QTableWidget(lists_);
  lists_->addTab(cellTable_, tr("Windows in cell"));
  lists_->addTab(flippedTable_, tr("Flipped A → B"));
  auto* calibrationPage = new QWidget(splitter);
  auto* calibrationLayout = new QVBoxLayout(calibrationPage);
  calibrationLayout->setContentsMargins(0, 0, 0, 0);
  reliability_ = new ReliabilityDiagramView(calibrationPage);
  calibration_ = new QLabel(calibrationPage);
  calibration_->setWordWrap(true);
  calibration_->setTextFormat(Qt::RichText);
  calibrationLayout->addWidget(reliability_, 1);
  calibrationLayout->addWidget(calibration_);
  splitter->setSizes({420, 420, 420});
  layout->addWidget(splitter, 1);
  connect(matrixMode_, &QComboBox::currentIndexChanged, this, [this] {
    refreshMatrix();
    refreshCalibration();
    refreshStrip();
  });
  connect(matrix_, &ConfusionMatrixView::cellClicked, this, &EvaluationPanel::showCell);
  for (auto* table : {cellTable_, flippedTable_})
    connect(table, &QTableWidget::cellClicked, this,
            [this, table](int row, int) { activateRow(table, row); });
  return page;
}

void EvaluationPanel::setBackends(const std::vector<BackendChoice>& backends) {
  a_->setBackends(backends);
  b_->setBackends(backends);
  a_->setCurrentBackend("cpu");
  b_->setCurrentBackend("int8");
}

void EvaluationPanel::setSetSizeStrip(SetSizeStrip* strip) {
  strip_ = strip;
  refreshStrip();
}

EvaluationRequest EvaluationPanel::choices() const {
  EvaluationRequest request;
  request.backend = a_->currentBackend();
  request.backendSettings = a_->settings();
  if (compare_->isChecked()) {
    request.compareBackend = b_->currentBackend();
    request.compareSettings = b_->settings();
  }
  request.alpha = alpha_->value();
  request.calibrationSplit = split_->value();
  return request;
}

bool EvaluationPanel::usesInt8() const {
  const auto request = choices();
  return request.backend == "int8" || request.compareBackend == "int8";
}

void EvaluationPanel::setBusy(bool busy) {
  run_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  a_->setBusy(busy);
  b_->setBusy(busy);
  if (busy) progress_->setValue(0);
}

void EvaluationPanel::setStatus(const QString& text) {
  status_->setText(text);
}

void EvaluationPanel::setProgress(double fraction, const QString& stage) {
  progress_->setValue(qRound(fraction * 1000));
  setStatus(tr("Evaluating: %1 (%2 %)").arg(stage).arg(qRound(fraction * 100)));
}

void EvaluationPanel::setContext(std::shared_ptr<const Session> session,
                                 std::shared_ptr<const ModelBundle> bundle) {
  session_ = std::move(session);
  bundle_ = std::move(bundle);
  const auto kept = kept_.find({session_.get(), bundle_.get()});
  display(kept == kept_.end() ? nullptr : kept->second);
}

void EvaluationPanel::addOutcome(std::shared_ptr<const EvaluationOutcome> outcome) {
  if (!outcome) return;
  const auto key = std::make_pair(outcome->request.session.get(), outcome->request.bundle.get());
  kept_[key] = outcome;
  if (key == std::make_pair(session_.get(), bundle_.get())) display(std::move(outcome));
}

void EvaluationPanel::display(std::shared_ptr<const EvaluationOutcome> outcome) {
  shown_ = std::move(outcome);
  const bool two = shown_ && shown_->result.sides.size() == 2;
  auto* modes = matrixMode_;
  const QSignalBlocker blocker(modes);
  modes->setItemText(
      0,
      shown_ ? tr("A: %1").arg(QString::fromStdString(shown_->result.sides[0].backend)) : tr("A"));
  modes->setItemText(
      1, two ? tr("B: %1").arg(QString::fromStdString(shown_->result.sides[1].backend)) : tr("B"));
  if (!two) modes->setCurrentIndex(0);
  modes->setEnabled(two);
  lists_->setTabEnabled(1, two);
  summary_->setText(shown_ ? evaluationSummaryHtml(shown_->result)
                           : tr("<i>No evaluation for this session and model yet: choose the "
                                "backends and press Evaluate (Run &gt; Evaluate, F7).</i>"));
  cellTable_->setRowCount(0);
  if (shown_)
    fillFlippedTable(flippedTable_, shown_->result);
  else
    flippedTable_->setRowCount(0);
  refreshMatrix();
  refreshCalibration();
  refreshStrip();
}

void EvaluationPanel::setMatrixMode(MatrixMode mode) {
  matrixMode_->setCurrentIndex(static_cast<int>(mode));
}

EvaluationPanel::MatrixMode EvaluationPanel::matrixMode() const {
  return static_cast<MatrixMode>(matrixMode_->currentIndex());
}

int EvaluationPanel::scoreIndex() const {
  return score_->currentIndex();
}

void EvaluationPanel::setScoreIndex(int index) {
  score_->setCurrentIndex(index);
}

std::size_t EvaluationPanel::shownSide() const {
  return matrixMode() == MatrixMode::SideB ? 1 : 0;
}

void EvaluationPanel::refreshMatrix() {
  matrix_->setSelectedCell(-1, -1);
  cellTable_->setRowCount(0);
  if (!shown_) {
    matrix_->clear();
    return;
  }
  const auto& r = shown_->result;
  QStringList classes;
  for (const auto& c : r.classes) classes << QString::fromStdString(c);
  if (matrixMode() == MatrixMode::Difference && r.comparison) {
    matrix_->setMatrix(classes, r.comparison->difference, true);
    return;
  }
  const auto& confusion = r.sides.at(shownSide()).confusion;
  std::vector<long long> counts;
  for (std::size_t t = 0; t < confusion.classCount(); ++t)
    for (std::size_t p = 0; p < confusion.classCount(); ++p)
      counts.push_back(static_cast<long long>(confusion.count(t, p)));
  matrix_->setMatrix(classes, std::move(counts), false);
}

void EvaluationPanel::showCell(int label, int prediction) {
  if (!shown_) return;
  matrix_->setSelectedCell(label, prediction);
  const auto& r = shown_->result;
  const bool difference = matrixMode() == MatrixMode::Difference && r.comparison;
  const auto windows = difference ? cellDifferenceWindows(r, label, prediction)
                                  : cellWindows(r, shownSide(), label, prediction);
  fillCellTable(cellTable_, r, windows, shownSide(), difference);
  lists_->setCurrentWidget(cellTable_);
}

void EvaluationPanel::refreshCalibration() {
  if (!shown_) {
    reliability_->clear();
    calibration_->clear();
    return;
  }
  const auto& side = shown_->result.sides.at(shownSide());
  reliability_->setCalibration(side.calibration.testBefore, side.calibration.testAfter);
  calibration_->setText(calibrationSummaryHtml(side));
}

void EvaluationPanel::refreshStrip() {
  if (!strip_) return;
  if (!shown_) {
    strip_->clear(tr("evaluate the model (Evaluation panel) to see its prediction-set sizes here"));
    return;
  }
  const auto& r = shown_->result;
  const auto& side = r.sides.at(shownSide());
  const auto score = static_cast<std::size_t>(scoreIndex());
  std::vector<double> centres;
  centres.reserve(r.windows.size());
  for (const auto& w : r.windows)
    centres.push_back(w.start_s + kWindowCentre * (w.end_s - w.start_s));
  strip_->setSizes(
      std::move(centres), side.windowSetSizes.at(score), static_cast<int>(r.classes.size()),
      tr("%1 set size, %2, alpha %3")
          .arg(scoreName(static_cast<int>(score)), QString::fromStdString(side.backend))
          .arg(r.settings.alpha));
}

void EvaluationPanel::activateRow(QTableWidget* table, int row) {
  const auto* item = table->item(row, 0);
  if (!item) return;
  emit windowActivated(item->data(kStartRole).toDouble(), item->data(kEndRole).toDouble());
}

}  // namespace imuwb::widgets
