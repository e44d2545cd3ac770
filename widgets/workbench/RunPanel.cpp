#include "RunPanel.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace imuwb::widgets {

RunPanel::RunPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  model_ = new QComboBox(this);
  model_->setToolTip(tr("Model bundle to run (File > Open Model)"));
  backend_ = new BackendChoiceBox(this);
  stride_ = new QSpinBox(this);
  stride_->setRange(1, 1000);
  stride_->setValue(50);
  stride_->setSuffix(tr(" samples"));
  stride_->setToolTip(tr("Window stride; training used 50 (50 % overlap of 100-sample windows)"));
  form->addRow(tr("Model"), model_);
  form->addRow(tr("Backend"), backend_);
  form->addRow(tr("Stride"), stride_);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout();
  run_ = new QPushButton(tr("Run"), this);
  run_->setToolTip(tr("Run the model over the selected session (F5)"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setToolTip(tr("Stop the run (Esc)"));
  cancel_->setEnabled(false);
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  layout->addWidget(progress_);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  auto* files = new QHBoxLayout();
  save_ = new QPushButton(tr("Save outputs…"), this);
  save_->setToolTip(tr("Write the outputs HDF5 that `imuwb run` writes"));
  open_ = new QPushButton(tr("Open outputs…"), this);
  open_->setToolTip(tr("Show outputs saved earlier by the workbench or `imuwb run`"));
  files->addWidget(save_);
  files->addWidget(open_);
  layout->addLayout(files);
  layout->addStretch(1);

  connect(run_, &QPushButton::clicked, this, &RunPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &RunPanel::cancelRequested);
  connect(save_, &QPushButton::clicked, this, &RunPanel::saveRequested);
  connect(open_, &QPushButton::clicked, this, &RunPanel::openOutputsRequested);
  connect(model_, &QComboBox::currentIndexChanged, this, &RunPanel::modelChanged);
}

void RunPanel::setBackends(const std::vector<BackendChoice>& backends) {
  backend_->setBackends(backends);
}

void RunPanel::setModels(const QStringList& names, int current) {
  const QSignalBlocker block(model_);
  model_->clear();
  model_->addItems(names);
  model_->setCurrentIndex(current);
}

int RunPanel::currentModel() const {
  return model_->currentIndex();
}
std::string RunPanel::currentBackend() const {
  return backend_->currentBackend();
}
int RunPanel::stride() const {
  return stride_->value();
}
void RunPanel::setStride(int stride) {
  stride_->setValue(stride);
}

void RunPanel::setBusy(bool busy) {
  run_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  model_->setEnabled(!busy);
  backend_->setBusy(busy);
  stride_->setEnabled(!busy);
  if (busy) progress_->setValue(0);
}

void RunPanel::setProgress(double fraction, const QString& stage) {
  progress_->setValue(static_cast<int>(fraction * 1000));
  status_->setText(stage);
}

void RunPanel::setStatus(const QString& text) {
  status_->setText(text);
}

QString RunPanel::statusText() const {
  return status_->text();
}

double RunPanel::progressFraction() const {
  return progress_->value() / 1000.0;
}

}  // namespace imuwb::widgets
