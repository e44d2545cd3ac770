#include "CalibExportDialog.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include "CalibBalanceTable.hpp"
#include "CalibClassPicker.hpp"
#include "CalibCoverageRunner.hpp"
#include "CalibCoverageTable.hpp"
#include "CalibExportRunner.hpp"
#include "CalibPlanner.hpp"
#include "CalibRangeList.hpp"
#include "TimeAxisModel.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {

constexpr auto kLastSetKey = "calibration/lastSet";

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

QGroupBox* group(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(content);
  return box;
}

QSpinBox* spinBox(int minimum, int maximum, int value, const QString& tip, QWidget* parent) {
  auto* box = new QSpinBox(parent);
  box->setRange(minimum, maximum);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}

}  // namespace

CalibExportDialog::CalibExportDialog(TimeAxisModel* axis, QWidget* parent)
    : QDialog(parent), axis_(axis) {
  setWindowTitle(tr("Export Calibration Set"));
  setObjectName("dialog.calibExport");
  setModal(false);
  planner_ = new CalibPlanner(this);
  exporter_ = new CalibExportRunner(this);
  coverage_ = new CalibCoverageRunner(this);
  replan_ = new QTimer(this);
  replan_->setSingleShot(true);
  replan_->setInterval(kReplanDelayMs);
  connect(replan_, &QTimer::timeout, this, &CalibExportDialog::replanNow);

  auto* layout = new QVBoxLayout(this);
  source_ = new QLabel(this);
  source_->setWordWrap(true);
  layout->addWidget(source_);
  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* left = new QWidget(split);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(buildSelection(), 1);
  leftLayout->addWidget(buildOptions());
  split->addWidget(left);
  split->addWidget(buildResults());
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  connectRunners();
  resize(1100, 760);
}

CalibExportDialog::~CalibExportDialog() {
  planner_->waitForIdle();
  exporter_->cancel();
  exporter_->waitForIdle();
  coverage_->cancel();
  coverage_->waitForIdle();
}

QWidget* CalibExportDialog::buildSelection() {
  auto* host = new QWidget(this);
  auto* layout = new QVBoxLayout(host);
  layout->setContentsMargins(0, 0, 0, 0);
  ranges_ = new CalibRangeList(axis_, host);
  classes_ = new CalibClassPicker(host);
  auto* rangeGroup = group(tr("Time ranges (Shift+drag on the timeline)"), ranges_, host);
  layout->addWidget(rangeGroup, 3);
  layout->addWidget(group(tr("Label classes"), classes_, host), 2);
  connect(ranges_, &CalibRangeList::changed, this, &CalibExportDialog::scheduleReplan);
  connect(classes_, &CalibClassPicker::changed, this, &CalibExportDialog::scheduleReplan);
  return host;
}

QWidget* CalibExportDialog::buildOptions() {
  const jobs::CalibExportJobOptions defaults;
  auto* box = new QGroupBox(tr("Set"), this);
  auto* form = new QFormLayout(box);
  windows_ = spinBox(1, 1000000, static_cast<int>(defaults.windows),
                     tr("Windows in the set (Hailo recommends 1024, at least 1000)"), box);
  stride_ = spinBox(1, 100000, defaults.stride, tr("Window stride in samples (training's)"), box);
  seed_ = spinBox(0, 1 << 30, static_cast<int>(defaults.seed), tr("Sampling seed"), box);
  layout_ = new QComboBox(box);
  layout_->addItem(tr("nhwc (Hailo's --calib-set-path)"), "nhwc");
  layout_->addItem(tr("model (the manifest's input layout)"), "model");
  balance_ = new QComboBox(box);
  balance_->addItem(tr("none (proportional to class sizes)"), "none");
  balance_->addItem(tr("classes (the same count per class)"), "classes");
  balance_->setCurrentIndex(
      balance_->findData(QString::fromStdString(quant::calibrationBalanceName(defaults.balance))));
  form->addRow(tr("Windows"), windows_);
  form->addRow(tr("Stride"), stride_);
  form->addRow(tr("Balance"), balance_);
  form->addRow(tr("Layout"), layout_);
  form->addRow(tr("Seed"), seed_);
  for (auto* spin : {windows_, stride_, seed_})
    connect(spin, &QSpinBox::valueChanged, this, &CalibExportDialog::scheduleReplan);
  for (auto* combo : {layout_, balance_})
    connect(combo, &QComboBox::currentIndexChanged, this, &CalibExportDialog::scheduleReplan);
  return box;
}

QWidget* CalibExportDialog::buildResults() {
  auto* host = new QWidget(this);
  auto* layout = new QVBoxLayout(host);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new CalibBalanceTable(host);
  layout->addWidget(group(tr("Class balance"), table_, host), 5);
  auto* row = new QHBoxLayout;
  export_ = new QPushButton(tr("Export…"), host);
  export_->setObjectName("calib.export");
  export_->setToolTip(tr("Write the set (.npy) and its manifest (.npy.json)"));
  cancel_ = new QPushButton(tr("Cancel"), host);
  cancel_->setEnabled(false);
  progress_ = new QProgressBar(host);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  row->addWidget(export_);
  row->addWidget(cancel_);
  row->addWidget(progress_, 1);
  layout->addLayout(row);
  status_ = new QLabel(host);
  status_->setObjectName("calib.status");
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  coverageTable_ = new CalibCoverageTable(host);
  auto* coverageGroup = group(tr("Coverage of the other sessions"), coverageTable_, host);
  checkSet_ = new QPushButton(tr("Check a set…"), coverageGroup);
  checkSet_->setToolTip(tr("Check an existing calibration set against the other sessions"));
  coverageGroup->layout()->addWidget(checkSet_);
  layout->addWidget(coverageGroup, 2);
  connect(export_, &QPushButton::clicked, this, &CalibExportDialog::exportDialog);
  connect(cancel_, &QPushButton::clicked, this, &CalibExportDialog::cancelExport);
  connect(checkSet_, &QPushButton::clicked, this, &CalibExportDialog::coverageDialog);
  return host;
}

void CalibExportDialog::connectRunners() {
  connect(planner_, &CalibPlanner::planned, this, &CalibExportDialog::showPlan);
  connect(planner_, &CalibPlanner::failed, this, [this](const QString& message) {
    plan_.reset();
    planCurrent_ = !replan_->isActive();
    table_->showError(message);
    updateExportButton();
    emit planShown();
  });
  connect(exporter_, &CalibExportRunner::progress, this,
          [this](double fraction, const QString& stage) {
            progress_->setValue(qRound(fraction * 1000));
            status_->setText(tr("Exporting: %1").arg(stage));
          });
  connect(exporter_, &CalibExportRunner::finished, this,
          [this](std::shared_ptr<const jobs::CalibExportJobResult> result) {
            setBusy(false);
            if (!result->written) {
              QStringList errors;
              for (const auto& f : result->findings)
                if (f.severity == Severity::Error)
                  errors << qstr(f.message) + "\n  " + tr("fix: %1").arg(qstr(f.fix));
              status_->setText(tr("Not written: %1").arg(errors.join("\n")));
            } else {
              progress_->setValue(1000);
              status_->setText(tr("Wrote %1 windows to %2 (manifest: %3)")
                                   .arg(result->exported)
                                   .arg(qstr(result->npyPath.string()),
                                        qstr(result->manifestPath.filename().string())));
              QSettings().setValue(kLastSetKey, qstr(result->npyPath.string()));
              checkCoverageOf(result->npyPath);
            }
            emit exportFinished(result);
          });
  connect(exporter_, &CalibExportRunner::failed, this, [this](const QString& message) {
    setBusy(false);
    progress_->setValue(0);
    status_->setText(tr("Export failed: %1").arg(message));
    emit exportFailed(message);
  });
  connect(exporter_, &CalibExportRunner::cancelled, this, [this] {
    setBusy(false);
    progress_->setValue(0);
    status_->setText(tr("Export cancelled; nothing was written."));
    emit exportCancelled();
  });
  connect(coverage_, &CalibCoverageRunner::progress, this,
          [this](double fraction, const QString& stage) {
            coverageTable_->showStatus(
                tr("Checking coverage: %1 (%2 %)").arg(stage).arg(qRound(fraction * 100)));
          });
  connect(coverage_, &CalibCoverageRunner::finished, this,
          [this](std::shared_ptr<const CoverageSummary> summary) {
            coverageTable_->showSummary(*summary);
            checkSet_->setEnabled(true);
            emit coverageShown(summary);
          });
  connect(coverage_, &CalibCoverageRunner::failed, this, [this](const QString& message) {
    coverageTable_->showStatus(tr("Coverage check failed: %1").arg(message));
    checkSet_->setEnabled(true);
  });
  connect(coverage_, &CalibCoverageRunner::cancelled, this, [this] {
    coverageTable_->showStatus(tr("Coverage check cancelled."));
    checkSet_->setEnabled(true);
  });
}

void CalibExportDialog::setInputs(CalibExportInputs inputs) {
  inputs_ = std::move(inputs);
  QStringList devices, classes;
  if (inputs_.session) {
    for (const auto& device : inputs_.session->devices) devices << qstr(device.name);
    for (const auto& name : inputs_.session->classes) classes << qstr(name);
  }
  ranges_->setDevices(devices);
  if (inputs_.bundle)
    for (const auto& device : inputs_.bundle->manifest.input.devices)
      if (devices.contains(qstr(device))) {
        ranges_->setDevice(qstr(device));
        break;
      }
  classes_->setClasses(classes);
  const QString session = inputs_.session && !inputs_.session->sourcePath.empty()
                              ? qstr(inputs_.session->sourcePath.filename().string())
                              : tr("(no session file)");
  const QString model = inputs_.bundle ? qstr(inputs_.bundle->displayName()) : tr("(no model)");
  source_->setText(tr("Windows from <b>%1</b>, preprocessed for <b>%2</b>.").arg(session, model));
  coverageTable_->showStatus(
      inputs_.otherSessions.empty()
          ? tr("No other session is open or recent: open one to check the set's coverage.")
          : tr("After the export, the set is checked against %1 other session(s).")
                .arg(inputs_.otherSessions.size()));
  scheduleReplan();
}

jobs::CalibExportJobOptions CalibExportDialog::options() const {
  jobs::CalibExportJobOptions options;
  if (inputs_.session && !inputs_.session->sourcePath.empty())
    options.sessions = {inputs_.session->sourcePath};
  options.windows = static_cast<std::size_t>(windows_->value());
  options.stride = stride_->value();
  options.seed = static_cast<std::uint64_t>(seed_->value());
  options.layout = jobs::calibrationLayoutNamed(layout_->currentData().toString().toStdString());
  options.balance =
      quant::calibrationBalanceNamed(balance_->currentData().toString().toStdString());
  options.ranges = ranges_->ranges();
  options.classes = classes_->checked();
  return options;
}

void CalibExportDialog::scheduleReplan() {
  planCurrent_ = false;
  updateExportButton();
  table_->showPending();
  replan_->start();
}

void CalibExportDialog::replanNow() {
  replan_->stop();
  planCurrent_ = false;
  table_->showPending();
  planner_->request({inputs_.bundle, options()});
}

bool CalibExportDialog::planPending() const {
  return replan_->isActive() || planner_->busy() || !planCurrent_;
}

void CalibExportDialog::showPlan(std::shared_ptr<const quant::CalibrationPlan> plan) {
  plan_ = std::move(plan);
  planCurrent_ = !replan_->isActive();
  QStringList rows = classes_->classes();
  const auto checked = classes_->checked();
  if (!checked.empty()) {
    rows.clear();
    for (const auto& name : checked) rows << qstr(name);
  }
  table_->showPlan(*plan_, rows);
  updateExportButton();
  emit planShown();
}

bool CalibExportDialog::startExport(const QString& path) {
  if (exporter_->busy() || path.isEmpty()) return false;
  auto options = this->options();
  options.out = path.toStdString();
  // The save dialog asked before replacing the set (and so its manifest beside it); the job
  // still refuses an input as output.
  options.force = QFileInfo::exists(path) || QFileInfo::exists(path + ".json");
  if (!exporter_->start(inputs_.bundle, std::move(options))) return false;
  setBusy(true);
  progress_->setValue(0);
  status_->setText(tr("Exporting to %1…").arg(path));
  return true;
}

void CalibExportDialog::cancelExport() {
  exporter_->cancel();
}

void CalibExportDialog::exportDialog() {
  QString start = QSettings().value(kLastSetKey).toString();
  if (start.isEmpty() && inputs_.session && !inputs_.session->sourcePath.empty())
    start = qstr((inputs_.session->sourcePath.parent_path() / "calib.npy").string());
  const QString path = QFileDialog::getSaveFileName(this, tr("Export calibration set"), start,
                                                    tr("Calibration sets (*.npy)"));
  if (path.isEmpty()) return;
  startExport(path.endsWith(".npy") ? path : path + ".npy");
}

bool CalibExportDialog::startCoverage(const QString& npy) {
  if (coverage_->busy() || npy.isEmpty()) return false;
  if (inputs_.otherSessions.empty()) {
    coverageTable_->showStatus(
        tr("No other session is open or recent: open one to check the set's coverage."));
    return false;
  }
  if (!coverage_->start(npy.toStdString(), inputs_.otherSessions,
                        jobs::CalibCoverageJobOptions{}.maxOutside))
    return false;
  checkSet_->setEnabled(false);
  coverageTable_->showStatus(tr("Checking coverage of %1…").arg(QFileInfo(npy).fileName()));
  return true;
}

void CalibExportDialog::checkCoverageOf(const std::filesystem::path& npy) {
  startCoverage(qstr(npy.string()));
}

void CalibExportDialog::coverageDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Calibration set to check"),
                                                    QSettings().value(kLastSetKey).toString(),
                                                    tr("Calibration sets (*.npy)"));
  if (!path.isEmpty()) startCoverage(path);
}

void CalibExportDialog::setBusy(bool busy) {
  cancel_->setEnabled(busy);
  updateExportButton();
}

void CalibExportDialog::updateExportButton() {
  const bool ready = planCurrent_ && plan_ && plan_->exported > 0 && !hasErrors(plan_->findings);
  export_->setEnabled(ready && !exporter_->busy());
}

}  // namespace imuwb::widgets
