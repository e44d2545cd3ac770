#include "ConvertDialog.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ConvertResultView.hpp"
#include "Theme.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {

QString qpath(const std::filesystem::path& path) {
  return QString::fromStdString(path.string());
}

enum ProofSource { FromSession = 0, Generated = 1 };

}  // namespace

QString proposedConvertOutput(const std::filesystem::path& onnx) {
  const auto folder = onnx.parent_path();
  const auto stem = onnx.stem().string();
  auto candidate = folder / (stem + ".hailo.onnx");
  for (int n = 2; std::filesystem::exists(candidate); ++n)
    candidate = folder / (stem + ".hailo-" + std::to_string(n) + ".onnx");
  return qpath(candidate);
}

ConvertDialog::ConvertDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Convert for Hailo-8"));
  setObjectName("dialog.convert");
  setModal(false);
  runner_ = new ConvertRunner(this);
  auto* layout = new QVBoxLayout(this);
  model_ = new QLabel(this);
  model_->setWordWrap(true);
  layout->addWidget(model_);
  layout->addWidget(buildOptions());
  layout->addWidget(buildButtons());
  view_ = new ConvertResultView(this);
  layout->addWidget(view_, 1);
  connectRunner();
  setBusy(false);
  resize(1200, 820);
}

ConvertDialog::~ConvertDialog() {
  runner_->cancel();
  runner_->waitForIdle();
}

QWidget* ConvertDialog::buildOptions() {
  const jobs::ConvertJobOptions defaults;
  auto* box = new QGroupBox(tr("Conversion"), this);
  auto* form = new QFormLayout(box);
  output_ = new QLineEdit(box);
  output_->setToolTip(tr("The converted .onnx; its manifest is written beside it (<stem>.json)"));
  auto* browse = new QPushButton(tr("Browse…"), box);
  connect(browse, &QPushButton::clicked, this, &ConvertDialog::browseOutput);
  auto* outputRow = new QHBoxLayout;
  outputRow->addWidget(output_, 1);
  outputRow->addWidget(browse);
  form->addRow(tr("Output"), outputRow);
  layout_ = new QComboBox(box);
  layout_->addItem(tr("NCHW [1, C, 1, T]"), "nchw");
  layout_->addItem(tr("NHWC [1, 1, T, C]"), "nhwc");
  layout_->setToolTip(tr("The converted model's input layout (--input-layout)"));
  form->addRow(tr("Input layout"), layout_);
  gemmAsConv_ = new QCheckBox(tr("Turn Gemm into a 1×1 Conv"), box);
  gemmAsConv_->setToolTip(tr("--gemm-as-conv; by default Gemm is kept, which the DFC maps itself"));
  form->addRow(QString(), gemmAsConv_);
  proofSource_ = new QComboBox(box);
  proofSource_->setToolTip(tr("The windows both models run for the equivalence proof"));
  form->addRow(tr("Prove on"), proofSource_);
  windows_ = new QSpinBox(box);
  windows_->setRange(1, 100000);
  windows_->setValue(static_cast<int>(defaults.windows));
  windows_->setToolTip(tr("Windows run through the original and the converted model"));
  form->addRow(tr("Windows"), windows_);
  replace_ = new QCheckBox(tr("Replace the output if it exists"), box);
  openWhenDone_ = new QCheckBox(tr("Open the converted model when done"), box);
  openWhenDone_->setChecked(true);
  form->addRow(QString(), replace_);
  form->addRow(QString(), openWhenDone_);
  return box;
}

QWidget* ConvertDialog::buildButtons() {
  auto* host = new QWidget(this);
  auto* row = new QHBoxLayout(host);
  row->setContentsMargins(0, 0, 0, 0);
  progress_ = new QProgressBar(host);
  progress_->setRange(0, 1000);
  status_ = new QLabel(host);
  status_->setObjectName("convert.status");
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  convert_ = new QPushButton(tr("Convert"), host);
  convert_->setDefault(true);
  cancel_ = new QPushButton(tr("Cancel"), host);
  auto* close = new QPushButton(tr("Close"), host);
  connect(convert_, &QPushButton::clicked, this, [this] { startConvert(); });
  connect(cancel_, &QPushButton::clicked, this, &ConvertDialog::cancelConvert);
  connect(close, &QPushButton::clicked, this, &QDialog::close);
  row->addWidget(progress_, 1);
  row->addWidget(convert_);
  row->addWidget(cancel_);
  row->addWidget(close);
  auto* column = new QWidget(this);
  auto* layout = new QVBoxLayout(column);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(host);
  layout->addWidget(status_);
  return column;
}

void ConvertDialog::connectRunner() {
  connect(runner_, &ConvertRunner::progress, this, [this](double fraction, const QString& stage) {
    progress_->setValue(static_cast<int>(fraction * 1000));
    setStatus(stage, false);
  });
  connect(runner_, &ConvertRunner::finished, this,
          [this](std::shared_ptr<const jobs::ConvertJobResult> result) { showFinished(result); });
  connect(runner_, &ConvertRunner::failed, this, [this](const QString& message) {
    setBusy(false);
    progress_->setValue(0);
    setStatus(message, true);
    emit conversionFailed(message);
  });
  connect(runner_, &ConvertRunner::cancelled, this, [this] {
    setBusy(false);
    progress_->setValue(0);
    setStatus(tr("Cancelled; nothing was written."), false);
    emit conversionCancelled();
  });
}

void ConvertDialog::setInputs(ConvertInputs inputs) {
  const bool newModel =
      !inputs_.bundle || !inputs.bundle || inputs_.bundle->onnxPath != inputs.bundle->onnxPath;
  inputs_ = std::move(inputs);
  model_->setText(inputs_.bundle ? tr("Model: %1").arg(qpath(inputs_.bundle->onnxPath))
                                 : tr("No model is open: open the model to convert first."));
  if (newModel && inputs_.bundle) output_->setText(proposedConvertOutput(inputs_.bundle->onnxPath));
  const int chosen = proofSource_->currentIndex();
  proofSource_->clear();
  proofSource_->addItem(inputs_.session
                            ? tr("Windows of %1").arg(qpath(inputs_.session->sourcePath.filename()))
                            : tr("Windows of the current session (none is open)"));
  proofSource_->addItem(tr("Generated windows (N(0,1) and smooth motion)"));
  const bool sessionUsable = inputs_.session && !inputs_.session->sourcePath.empty();
  proofSource_->setItemData(FromSession, sessionUsable ? QVariant() : QVariant(0),
                            Qt::UserRole - 1);
  proofSource_->setCurrentIndex(sessionUsable && chosen != Generated ? FromSession : Generated);
  setBusy(runner_->busy());
}

ConvertRequest ConvertDialog::request() const {
  ConvertRequest request;
  request.bundle = inputs_.bundle;
  if (proofSource_->currentIndex() == FromSession) request.session = inputs_.session;
  request.output = output_->text().trimmed().toStdString();
  request.nhwc = layout_->currentData().toString() == "nhwc";
  request.gemmAsConv = gemmAsConv_->isChecked();
  request.windows = static_cast<std::size_t>(windows_->value());
  request.force = replace_->isChecked();
  return request;
}

jobs::ConvertJobOptions ConvertDialog::options() const {
  auto options = convertOptionsFor(request());
  options.convert.breakRewrite = breakRewrite_;
  return options;
}

bool ConvertDialog::startConvert() {
  if (runner_->busy()) return false;
  jobs::ConvertJobOptions job;
  try {
    job = options();
    if (job.output.empty())
      throw Error("convert", "no output file is chosen", "type a path or use Browse…");
  } catch (const std::exception& e) {
    setStatus(QString::fromUtf8(e.what()), true);
    return false;
  }
  result_.reset();
  view_->clear();
  pendingOutput_ = qpath(job.output);
  if (!runner_->start(std::move(job))) return false;
  setBusy(true);
  setStatus(tr("Converting…"), false);
  return true;
}

void ConvertDialog::cancelConvert() {
  runner_->cancel();
}

void ConvertDialog::browseOutput() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Converted model"), output_->text(),
                                                    tr("ONNX models (*.onnx)"));
  if (path.isEmpty()) return;
  output_->setText(path);
  replace_->setChecked(QFileInfo::exists(path));  // the save dialog asked already
}

void ConvertDialog::showFinished(const std::shared_ptr<const jobs::ConvertJobResult>& result) {
  setBusy(false);
  progress_->setValue(progress_->maximum());
  result_ = result;
  view_->showResult(*result);
  if (result->passed()) {
    setStatus(tr("Converted: %1 rewrites, proof passed on %2 windows; wrote %3")
                  .arg(result->log.rewrites.size())
                  .arg(result->proof.windows)
                  .arg(pendingOutput_),
              false);
  } else {
    setStatus(tr("The proof failed: the converted model does not compute the same function, so "
                 "nothing was written. The failing outputs are marked below; `imuwb convert "
                 "--report convert.json` keeps the full record."),
              true);
  }
  emit conversionFinished(result);
  if (result->passed() && openWhenDone_->isChecked()) emit convertedModelReady(pendingOutput_);
}

void ConvertDialog::setStatus(const QString& text, bool problem) {
  status_->setText(text);
  const QColor base = status_->palette().color(QPalette::Window);
  status_->setStyleSheet(problem ? QString("color: %1").arg(verdictColour(false, base).name())
                                 : QString());
}

void ConvertDialog::setBusy(bool busy) {
  convert_->setEnabled(!busy && inputs_.bundle != nullptr);
  cancel_->setEnabled(busy);
  if (busy) progress_->setValue(0);
}

}  // namespace imuwb::widgets
