#include "SessionBrowser.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "PlotGeometry.hpp"

namespace imuwb::widgets {

std::vector<std::pair<std::string, double>> labelHistogram(const Session& session) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& name : session.classes) out.emplace_back(name, 0.0);
  for (const auto& label : session.labels) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == label.label; });
    if (it == out.end()) {
      out.emplace_back(label.label, 0.0);
      it = out.end() - 1;
    }
    it->second += std::max(0.0, label.end_s - label.start_s);
  }
  return out;
}

SessionBrowser::SessionBrowser(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  tree_ = new QTreeWidget(splitter);
  tree_->setColumnCount(2);
  tree_->setHeaderLabels({tr("Session"), tr("Details")});
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  tree_->setToolTip(tr("Open sessions: devices, duration and label histogram"));
  auto* findingsBox = new QWidget(splitter);
  auto* findingsLayout = new QVBoxLayout(findingsBox);
  findingsLayout->setContentsMargins(0, 0, 0, 0);
  findingsTitle_ = new QLabel(tr("Findings"), findingsBox);
  findings_ = new QListWidget(findingsBox);
  findings_->setWordWrap(true);
  findings_->setToolTip(tr("Validation findings; click one to show where it is"));
  findingsLayout->addWidget(findingsTitle_);
  findingsLayout->addWidget(findings_);
  layout->addWidget(splitter);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);

  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    while (item && item->parent()) item = item->parent();
    const int index = item ? tree_->indexOfTopLevelItem(item) : -1;
    showFindings(index);
    emit currentSessionChanged(index);
  });
  connect(findings_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    const double start = item->data(Qt::UserRole).toDouble();
    const double end = item->data(Qt::UserRole + 1).toDouble();
    if (std::isfinite(start)) emit findingActivated(start, std::isfinite(end) ? end : start);
  });
  connect(findings_, &QListWidget::itemClicked, findings_, &QListWidget::itemActivated);
}

void SessionBrowser::addSession(const Session& session, const std::vector<Finding>& findings,
                                bool validating) {
  const QString name = session.sourcePath.empty()
                           ? tr("(in memory)")
                           : QString::fromStdString(session.sourcePath.filename().string());
  auto* top = new QTreeWidgetItem(tree_, {name, formatTime(session.durationSeconds()) +
                                                    tr(" · %1 Hz").arg(session.sampleRateHz)});
  top->setToolTip(0, QString::fromStdString(session.sourcePath.string()));
  auto* devices =
      new QTreeWidgetItem(top, {tr("devices"), QString::number(session.devices.size())});
  for (const auto& device : session.devices)
    new QTreeWidgetItem(
        devices, {QString::fromStdString(device.name), tr("%L1 rows").arg(device.sampleCount())});
  const auto histogram = labelHistogram(session);
  double labelled = 0;
  for (const auto& [_, seconds] : histogram) labelled += seconds;
  auto* labels = new QTreeWidgetItem(
      top, {tr("labels"),
            tr("%1 intervals, %2 classes").arg(session.labels.size()).arg(histogram.size())});
  const double duration = std::max(1e-9, session.durationSeconds());
  for (const auto& [cls, seconds] : histogram) {
    auto* item = new QTreeWidgetItem(
        labels,
        {QString::fromStdString(cls),
         tr("%1 s · %2 %").arg(seconds, 0, 'f', 1).arg(100.0 * seconds / duration, 0, 'f', 1)});
    item->setToolTip(1, tr("time labelled %1").arg(QString::fromStdString(cls)));
  }
  new QTreeWidgetItem(top, {tr("findings"), QString()});
  top->setExpanded(true);
  devices->setExpanded(true);
  labels->setExpanded(true);
  findingsPerSession_.push_back({findings, validating});
  updateFindingsRow(sessionCount() - 1);
  tree_->setCurrentItem(top);
}

void SessionBrowser::setFindings(int index, const std::vector<Finding>& findings) {
  if (index < 0 || index >= static_cast<int>(findingsPerSession_.size())) return;
  findingsPerSession_[static_cast<std::size_t>(index)] = {findings, false};
  updateFindingsRow(index);
  if (currentIndex() == index) showFindings(index);
}

bool SessionBrowser::isValidating(int index) const {
  return index >= 0 && index < static_cast<int>(findingsPerSession_.size()) &&
         findingsPerSession_[static_cast<std::size_t>(index)].validating;
}

QString SessionBrowser::findingsSummary(int index) const {
  auto* top = tree_->topLevelItem(index);
  if (!top) return {};
  // The findings row is the session item's last child (after devices and labels).
  auto* row = top->child(top->childCount() - 1);
  return row ? row->text(1) : QString();
}

void SessionBrowser::updateFindingsRow(int index) {
  auto* top = tree_->topLevelItem(index);
  if (!top || index >= static_cast<int>(findingsPerSession_.size())) return;
  const auto& entry = findingsPerSession_[static_cast<std::size_t>(index)];
  std::size_t errors = 0, warnings = 0;
  for (const auto& f : entry.findings) {
    errors += f.severity == Severity::Error;
    warnings += f.severity == Severity::Warning;
  }
  QString text;
  if (!entry.validating)
    text =
        tr("%1 errors, %2 warnings, %3 total").arg(errors).arg(warnings).arg(entry.findings.size());
  else if (entry.findings.empty())
    text = tr("validating…");
  else
    text = tr("validating… (%1 from import so far)").arg(entry.findings.size());
  top->child(top->childCount() - 1)->setText(1, text);
}

void SessionBrowser::removeAll() {
  findingsPerSession_.clear();
  tree_->clear();
  findings_->clear();
}

int SessionBrowser::sessionCount() const {
  return tree_->topLevelItemCount();
}

int SessionBrowser::currentIndex() const {
  auto* item = tree_->currentItem();
  while (item && item->parent()) item = item->parent();
  return item ? tree_->indexOfTopLevelItem(item) : -1;
}

void SessionBrowser::setCurrentIndex(int index) {
  if (auto* item = tree_->topLevelItem(index)) tree_->setCurrentItem(item);
}

void SessionBrowser::showFindings(int index) {
  findings_->clear();
  if (index < 0 || index >= static_cast<int>(findingsPerSession_.size())) return;
  const auto& entry = findingsPerSession_[static_cast<std::size_t>(index)];
  const auto& list = entry.findings;
  findingsTitle_->setText(entry.validating ? tr("Findings (%1, validating…)").arg(list.size())
                                           : tr("Findings (%1)").arg(list.size()));
  for (const auto& f : list) {
    QString where;
    if (!f.device.empty()) where += QString::fromStdString(f.device);
    if (f.channel >= 0 && f.channel < kChannelCount)
      where += (where.isEmpty() ? "" : "/") + QString::fromUtf8(kChannelNames[f.channel].data(), 2);
    if (std::isfinite(f.start_s))
      where += (where.isEmpty() ? "" : " ") + QStringLiteral("@ ") + formatTime(f.start_s, 0.1);
    auto* item =
        new QListWidgetItem(QStringLiteral("%1%2").arg(where.isEmpty() ? QString() : where + ": ",
                                                       QString::fromStdString(f.message)),
                            findings_);
    const auto icon = f.severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                      : f.severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                        : QStyle::SP_MessageBoxInformation;
    item->setIcon(style()->standardIcon(icon));
    item->setToolTip(QStringLiteral("%1 [%2]\n%3")
                         .arg(QString::fromStdString(f.message), QString::fromStdString(f.code),
                              QString::fromStdString(f.fix)));
    item->setData(Qt::UserRole, f.start_s);
    item->setData(Qt::UserRole + 1, f.end_s);
  }
}

}  // namespace imuwb::widgets
