#pragma once
// Tools > Export Calibration Set…: `imuwb calib-export` by selection, in the workbench. Modeless,
// beside the timeline: Shift+drag a range there and add it, or check label classes; the
// class-balance table follows every change live (a core plan, computed off the GUI thread);
// the export runs off the GUI thread with progress and cancel; then the coverage of the other
// sessions the workbench knows (open and recent) is checked against the new set (or a set
// chosen with "Check a set…"). Every option maps onto jobs::CalibExportJobOptions; every default
// not shown here is the job's.
#include <QDialog>
#include <QString>
#include <filesystem>
#include <memory>
#include <vector>

#include "CalibCoverageRunner.hpp"
#include "CalibExportRunner.hpp"
#include "jobs/CalibExportJob.hpp"
#include "session/Session.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class CalibRangeList;
class CalibClassPicker;
class CalibBalanceTable;
class CalibCoverageTable;
class CalibPlanner;

struct CalibExportInputs {
  std::shared_ptr<const Session> session;            // the set is cut from its file
  std::shared_ptr<const ModelBundle> bundle;         // the model the set is for
  std::vector<std::filesystem::path> otherSessions;  // coverage is checked against these
};

class CalibExportDialog : public QDialog {
  Q_OBJECT
 public:
  static constexpr int kReplanDelayMs = 150;  // coalesces a burst of edits into one plan

  explicit CalibExportDialog(TimeAxisModel* axis, QWidget* parent = nullptr);
  ~CalibExportDialog() override;

  // The session, model and other sessions; keeps ranges and checks that still apply.
  void setInputs(CalibExportInputs inputs);
  const CalibExportInputs& inputs() const { return inputs_; }
  // The job's options as the widgets set them (out empty).
  jobs::CalibExportJobOptions options() const;
  void replanNow();  // plans at once instead of after kReplanDelayMs
  bool planPending() const;
  std::shared_ptr<const quant::CalibrationPlan> plan() const { return plan_; }

  // Exports to path (the Export… button asks for it with a save dialog); false when busy or
  // not ready. An existing file at path is replaced (the save dialog asked first).
  bool startExport(const QString& path);
  void cancelExport();
  // Checks the set at npy against inputs().otherSessions.
  bool startCoverage(const QString& npy);

  CalibRangeList* ranges() const { return ranges_; }
  CalibClassPicker* classes() const { return classes_; }
  CalibBalanceTable* balanceTable() const { return table_; }
  CalibCoverageTable* coverageTable() const { return coverageTable_; }
  QSpinBox* windowsBox() const { return windows_; }
  QSpinBox* strideBox() const { return stride_; }
  QSpinBox* seedBox() const { return seed_; }
  QComboBox* layoutBox() const { return layout_; }
  QComboBox* balanceBox() const { return balance_; }
  QPushButton* exportButton() const { return export_; }
  QPushButton* cancelButton() const { return cancel_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* statusLabel() const { return status_; }
  CalibExportRunner* exporter() const { return exporter_; }
  CalibCoverageRunner* coverageRunner() const { return coverage_; }

 signals:
  void planShown();  // the table shows the plan (or the error) for the current options
  void exportFinished(std::shared_ptr<const imuwb::jobs::CalibExportJobResult> result);
  void exportFailed(QString message);
  void exportCancelled();
  void coverageShown(std::shared_ptr<const imuwb::widgets::CoverageSummary> summary);

 private:
  QWidget* buildSelection();
  QWidget* buildOptions();
  QWidget* buildResults();
  void connectRunners();
  void scheduleReplan();
  void showPlan(std::shared_ptr<const quant::CalibrationPlan> plan);
  void exportDialog();
  void coverageDialog();
  void checkCoverageOf(const std::filesystem::path& npy);
  void setBusy(bool busy);
  void updateExportButton();

  CalibExportInputs inputs_;
  std::shared_ptr<const quant::CalibrationPlan> plan_;
  bool planCurrent_ = false;
  TimeAxisModel* axis_;
  CalibRangeList* ranges_ = nullptr;
  CalibClassPicker* classes_ = nullptr;
  CalibBalanceTable* table_ = nullptr;
  CalibCoverageTable* coverageTable_ = nullptr;
  QSpinBox* windows_ = nullptr;
  QSpinBox* stride_ = nullptr;
  QSpinBox* seed_ = nullptr;
  QComboBox* layout_ = nullptr;
  QComboBox* balance_ = nullptr;
  QPushButton* export_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* checkSet_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* source_ = nullptr;
  QTimer* replan_ = nullptr;
  CalibPlanner* planner_ = nullptr;
  CalibExportRunner* exporter_ = nullptr;
  CalibCoverageRunner* coverage_ = nullptr;
};

}  // namespace imuwb::widgets
