#include "BackendChoiceBox.hpp"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <cstdlib>

#include "backends/BackendRegistry.hpp"

namespace imuwb::widgets {

namespace {

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

bool isLive(const std::string& backend) {
  return backend == "edgeinfer" || backend == "hailort";
}

}  // namespace

std::vector<BackendChoice> registryBackendChoices() {
  std::vector<BackendChoice> choices;
  const auto registry = makeDefaultBackendRegistry();  // keep it alive while iterating
  for (const auto& entry : registry.entries())
    choices.push_back({entry.name, entry.description, entry.unavailable});
  return choices;
}

QString defaultSidecarUrl() {
  const char* url = std::getenv("MODEL_BACKEND_URL");
  return url && *url ? QString::fromUtf8(url) : QStringLiteral("http://127.0.0.1:9000/infer");
}

BackendChoiceBox::BackendChoiceBox(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  backend_ = new QComboBox(this);
  backend_->setToolTip(tr("Where the model runs; every backend gives the same outputs format"));
  check_ = new QPushButton(tr("Check"), this);
  check_->setToolTip(
      tr("Load the model into the backend and show what it reports (for a "
         "sidecar: /healthz and whether it answers the same window alike)"));
  urlLabel_ = new QLabel(tr("URL"), this);
  url_ = new QLineEdit(defaultSidecarUrl(), this);
  url_->setToolTip(tr("The sidecar's /infer URL (the Pi's hailo-inference, or `imuwb serve`)"));
  health_ = new QLabel(this);
  health_->setWordWrap(true);
  health_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  warning_ = new QLabel(this);
  warning_->setWordWrap(true);
  warning_->setStyleSheet(
      "QLabel { color: white; background: #c62828; font-weight: bold; padding: 4px; }");
  warning_->hide();
  grid->addWidget(backend_, 0, 0, 1, 2);
  grid->addWidget(check_, 0, 2);
  grid->addWidget(urlLabel_, 1, 0);
  grid->addWidget(url_, 1, 1, 1, 2);
  grid->addWidget(warning_, 2, 0, 1, 3);
  grid->addWidget(health_, 3, 0, 1, 3);
  grid->setColumnStretch(1, 1);
  connect(check_, &QPushButton::clicked, this, &BackendChoiceBox::checkRequested);
  connect(backend_, &QComboBox::currentIndexChanged, this, [this] {
    updateForBackend();
    emit backendChanged();
  });
  updateForBackend();
}

void BackendChoiceBox::setBackends(const std::vector<BackendChoice>& backends) {
  const QSignalBlocker block(backend_);
  backend_->clear();
  auto* model = qobject_cast<QStandardItemModel*>(backend_->model());
  for (const auto& choice : backends) {
    backend_->addItem(qstr(choice.name));
    const int row = backend_->count() - 1;
    QString tip = qstr(choice.description);
    if (!choice.unavailable.empty()) {
      tip += tr("\nNot available in this build: %1").arg(qstr(choice.unavailable));
      if (model) model->item(row)->setEnabled(false);
    }
    backend_->setItemData(row, tip, Qt::ToolTipRole);
  }
  updateForBackend();
}

std::string BackendChoiceBox::currentBackend() const {
  return backend_->currentText().toStdString();
}

void BackendChoiceBox::setCurrentBackend(const std::string& name) {
  const int index = backend_->findText(qstr(name));
  if (index >= 0) backend_->setCurrentIndex(index);
}

std::map<std::string, std::string> BackendChoiceBox::settings() const {
  if (currentBackend() == "edgeinfer") return {{"url", url_->text().trimmed().toStdString()}};
  return {};
}

void BackendChoiceBox::setBusy(bool busy) {
  backend_->setEnabled(!busy);
  url_->setEnabled(!busy);
  check_->setEnabled(!busy);
}

void BackendChoiceBox::updateForBackend() {
  const auto backend = currentBackend();
  urlLabel_->setVisible(backend == "edgeinfer");
  url_->setVisible(backend == "edgeinfer");
  check_->setVisible(isLive(backend));
  health_->clear();
  warning_->clear();
  warning_->hide();
}

void BackendChoiceBox::showCheck(const jobs::BackendCheckJobResult& result) {
  QStringList lines;
  lines << tr("%1: %2, %3")
               .arg(qstr(result.info.name), qstr(result.info.version), qstr(result.info.device));
  for (const auto& detail : result.details)
    lines << QStringLiteral("%1: %2").arg(qstr(detail.key), qstr(detail.value));
  health_->setText(lines.join('\n'));
  warning_->setText(
      result.nonDeterministic
          ? tr("WARNING: %1 is %2").arg(qstr(result.info.name), qstr(result.determinism))
          : QString());
  warning_->setVisible(result.nonDeterministic);
}

void BackendChoiceBox::showCheckError(const QString& message) {
  health_->setText(tr("Check failed: %1").arg(message));
  warning_->clear();
  warning_->hide();
}

void BackendChoiceBox::showCheckStatus(const QString& text) {
  health_->setText(text);
}

QString BackendChoiceBox::checkText() const {
  return health_->text();
}
QString BackendChoiceBox::warningText() const {
  return warning_->text();
}
bool BackendChoiceBox::warningShown() const {
  return !warning_->isHidden();
}

}  // namespace imuwb::widgets
