#pragma once
// The evaluation panel: `imuwb evaluate` on the open session and model, one backend (A) or two
// (A against B, chosen like the parity sides), shown from one core EvaluationResult:
// - the summary (accuracy, balanced accuracy, macro F1, kappa, conformal coverage) with every
//   excluded window counted;
// - the confusion matrix of A or B, or their difference; a click on a cell lists its windows;
// - the windows whose prediction flipped between A and B;
// - the reliability diagram with ECE, NLL and the temperature before and after scaling;
// - the conformal set size over time, in the strip under the class probabilities (LAC or APS).
// A click on a listed window emits windowActivated, which moves the timeline there.
// Results follow the open session and model: each is kept for the pair it was computed on and
// shown only while that pair is open (switching back shows it again).
#include <QWidget>
#include <map>
#include <memory>
#include <utility>

#include "EvaluationRunner.hpp"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTabWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class BackendChoiceBox;
struct BackendChoice;
class ConfusionMatrixView;
class ReliabilityDiagramView;
class SetSizeStrip;

class EvaluationPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EvaluationPanel(QWidget* parent = nullptr);

  void setBackends(const std::vector<BackendChoice>& backends);  // A = cpu, B = int8
  void setSetSizeStrip(SetSizeStrip* strip);  // the strip under the class probabilities
  // The session and model now open (either may be null). Shows the result kept for them, if any.
  void setContext(std::shared_ptr<const Session> session,
                  std::shared_ptr<const ModelBundle> bundle);
  // A finished evaluation: kept for its request's session and model, shown if they are open.
  void addOutcome(std::shared_ptr<const EvaluationOutcome> outcome);
  std::shared_ptr<const EvaluationOutcome> outcome() const { return shown_; }
  // The choices as a request (backends, alpha, split); session, model, stride and calibration
  // are the caller's.
  EvaluationRequest choices() const;
  bool usesInt8() const;
  void setBusy(bool busy);
  void setStatus(const QString& text);
  void setProgress(double fraction, const QString& stage);

  // What the matrix shows.
  enum class MatrixMode { SideA, SideB, Difference };
  void setMatrixMode(MatrixMode mode);
  MatrixMode matrixMode() const;
  void showCell(int label, int prediction);  // as a click on the cell
  int scoreIndex() const;                    // 0 LAC, 1 APS (the strip's score)
  void setScoreIndex(int index);

  BackendChoiceBox* sideA() const { return a_; }
  BackendChoiceBox* sideB() const { return b_; }
  QCheckBox* compareCheck() const { return compare_; }
  QDoubleSpinBox* alphaBox() const { return alpha_; }
  QDoubleSpinBox* splitBox() const { return split_; }
  QComboBox* scoreBox() const { return score_; }
  QComboBox* matrixBox() const { return matrixMode_; }
  QPushButton* runButton() const { return run_; }
  ConfusionMatrixView* matrixView() const { return matrix_; }
  QTableWidget* cellTable() const { return cellTable_; }
  QTableWidget* flippedTable() const { return flippedTable_; }
  ReliabilityDiagramView* reliabilityView() const { return reliability_; }
  QLabel* summaryLabel() const { return summary_; }
  QLabel* calibrationLabel() const { return calibration_; }

 signals:
  void evaluateRequested();
  void cancelRequested();
  void windowActivated(double start_s, double end_s);

 private:
  QWidget* buildControls();
  QWidget* buildResults();
  void display(std::shared_ptr<const EvaluationOutcome> outcome);
  void refreshMatrix();
  void refreshCalibration();
  void refreshStrip();
  std::size_t shownSide() const;
  void activateRow(QTableWidget* table, int row);

  BackendChoiceBox* a_ = nullptr;
  BackendChoiceBox* b_ = nullptr;
  QCheckBox* compare_ = nullptr;
  QDoubleSpinBox* alpha_ = nullptr;
  QDoubleSpinBox* split_ = nullptr;
  QComboBox* score_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* summary_ = nullptr;
  QComboBox* matrixMode_ = nullptr;
  ConfusionMatrixView* matrix_ = nullptr;
  QTabWidget* lists_ = nullptr;
  QTableWidget* cellTable_ = nullptr;
  QTableWidget* flippedTable_ = nullptr;
  ReliabilityDiagramView* reliability_ = nullptr;
  QLabel* calibration_ = nullptr;
  SetSizeStrip* strip_ = nullptr;

  std::shared_ptr<const Session> session_;
  std::shared_ptr<const ModelBundle> bundle_;
  std::shared_ptr<const EvaluationOutcome> shown_;
  // Kept per (session, model); the outcome holds both alive, so the keys stay unique.
  std::map<std::pair<const Session*, const ModelBundle*>, std::shared_ptr<const EvaluationOutcome>>
      kept_;
};

}  // namespace imuwb::widgets
