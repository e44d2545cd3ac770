#include "WorkbenchStatusBar.hpp"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>
#include <algorithm>

#include "PlotGeometry.hpp"
#include "TimeAxisModel.hpp"
#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {

// QProgressBar expands %p; a literal % in a name or stage must be doubled.
QString escapePercent(QString text) {
  return text.replace('%', "%%");
}

}  // namespace

WorkbenchStatusBar::WorkbenchStatusBar(QStatusBar* bar, const TimeAxisModel* axis, QWidget* owner)
    : QObject(owner), axis_(axis) {
  times_ = new QLabel(owner);
  bar->addPermanentWidget(times_);
  openProgress_ = new QProgressBar(owner);
  openProgress_->setObjectName("status.openProgress");
  openProgress_->setRange(0, 1000);
  openProgress_->setMinimumWidth(320);
  openProgress_->hide();
  openCancel_ = new QToolButton(owner);
  openCancel_->setObjectName("status.cancelOpen");
  openCancel_->setText(workbenchTr("Cancel"));
  openCancel_->setToolTip(workbenchTr("Stop opening (Esc)"));
  openCancel_->setAutoRaise(true);
  openCancel_->hide();
  connect(openCancel_, &QToolButton::clicked, this, &WorkbenchStatusBar::cancelOpenRequested);
  bar->insertPermanentWidget(0, openProgress_);
  bar->insertPermanentWidget(1, openCancel_);
  validation_ = new QLabel(owner);
  validation_->setObjectName("status.validation");
  validation_->hide();
  bar->insertPermanentWidget(2, validation_);
}

void WorkbenchStatusBar::openStarted(const QString& path) {
  openProgress_->setValue(0);
  openProgress_->setFormat(
      workbenchTr("Opening %1…").arg(escapePercent(QFileInfo(path).fileName())));
}

void WorkbenchStatusBar::openProgress(const QString& path, double fraction, const QString& stage) {
  openProgress_->setValue(qRound(std::clamp(fraction, 0.0, 1.0) * 1000));
  openProgress_->setFormat(
      workbenchTr("Opening %1: %2 %p%")
          .arg(escapePercent(QFileInfo(path).fileName()), escapePercent(stage)));
}

void WorkbenchStatusBar::openCancelling() {
  openProgress_->setFormat(workbenchTr("Cancelling…"));
}

void WorkbenchStatusBar::setLoading(bool loading) {
  openProgress_->setVisible(loading);
  openCancel_->setVisible(loading);
}

void WorkbenchStatusBar::validationStarted(const QString& path) {
  validation_->setText(workbenchTr("Validating %1…").arg(QFileInfo(path).fileName()));
  validation_->show();
}

void WorkbenchStatusBar::validationDrained() {
  validation_->hide();
}

void WorkbenchStatusBar::showTimes() {
  const auto view = axis_->view();
  QString text = workbenchTr("cursor %1 · view %2 – %3")
                     .arg(formatTime(axis_->cursor(), 0.01), formatTime(view.start_s, 0.1),
                          formatTime(view.end_s, 0.1));
  const auto selection = axis_->selection();
  if (selection.valid())
    text += workbenchTr(" · selection %1 s").arg(selection.length(), 0, 'f', 2);
  times_->setText(text);
}

}  // namespace imuwb::widgets
