#include "ParitySidesBar.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace imuwb::widgets {

namespace {

BackendChoiceBox* addSide(QHBoxLayout* row, const QString& title, const QString& tip,
                          QWidget* parent) {
  auto* group = new QGroupBox(title, parent);
  group->setToolTip(tip);
  auto* layout = new QVBoxLayout(group);
  auto* box = new BackendChoiceBox(group);
  layout->addWidget(box);
  row->addWidget(group, 1);
  return box;
}

}  // namespace

ParitySidesBar::ParitySidesBar(QWidget* parent) : QWidget(parent) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(4, 4, 4, 0);
  a_ = addSide(row, tr("A (reference)"), tr("The reference side (`imuwb parity --a`)"), this);
  b_ = addSide(row, tr("B (candidate)"), tr("The side compared with A (`imuwb parity --b`)"), this);
  run_ = new QPushButton(tr("Run parity"), this);
  run_->setToolTip(
      tr("Compare A and B over the open session and model (int8 asks for a "
         "calibration .npy)"));
  row->addWidget(run_, 0, Qt::AlignTop);
  connect(run_, &QPushButton::clicked, this, &ParitySidesBar::parityRequested);
}

void ParitySidesBar::setBackends(const std::vector<BackendChoice>& backends) {
  a_->setBackends(backends);
  b_->setBackends(backends);
  a_->setCurrentBackend("cpu");
  b_->setCurrentBackend("int8");
}

bool ParitySidesBar::usesInt8() const {
  return a_->currentBackend() == "int8" || b_->currentBackend() == "int8";
}

void ParitySidesBar::setBusy(bool busy) {
  a_->setBusy(busy);
  b_->setBusy(busy);
  run_->setEnabled(!busy);
}

}  // namespace imuwb::widgets
