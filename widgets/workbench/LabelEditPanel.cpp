#include "LabelEditPanel.hpp"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

#include "ClassPalette.hpp"
#include "LabelEditController.hpp"
#include "PlotGeometry.hpp"

namespace imuwb::widgets {

namespace {

QIcon swatch(const QColor& color) {
  QPixmap pixmap(12, 12);
  pixmap.fill(color);
  return QIcon(pixmap);
}

QString describe(const LabelInterval& interval) {
  return QStringLiteral("%1  %2 – %3")
      .arg(QString::fromStdString(interval.label), formatTime(interval.start_s, 0.01),
           formatTime(interval.end_s, 0.01));
}

}  // namespace

LabelEditPanel::LabelEditPanel(LabelEditController* edits, const ClassPalette* palette,
                               QWidget* parent)
    : QWidget(parent), edits_(edits), palette_(palette) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Classes (1–9 relabel; highlighted: new intervals)"), this));
  classes_ = new QListWidget(this);
  classes_->setObjectName("labels.classes");
  classes_->setMaximumHeight(120);
  layout->addWidget(classes_);
  auto* addRow = new QHBoxLayout;
  newClass_ = new QLineEdit(this);
  newClass_->setObjectName("labels.newClass");
  newClass_->setPlaceholderText(tr("new class"));
  auto* add = new QPushButton(tr("Add Class"), this);
  addRow->addWidget(newClass_, 1);
  addRow->addWidget(add);
  layout->addLayout(addRow);

  auto* form = new QFormLayout;
  selection_ = new QLabel(tr("no interval selected"), this);
  note_ = new QLineEdit(this);
  note_->setObjectName("labels.note");
  note_->setPlaceholderText(tr("note for the selected interval (Enter)"));
  find_ = new QLineEdit(this);
  find_->setObjectName("labels.find");
  find_->setPlaceholderText(tr("find intervals by note"));
  find_->setClearButtonEnabled(true);
  form->addRow(tr("Selected:"), selection_);
  form->addRow(tr("Note:"), note_);
  form->addRow(tr("Find:"), find_);
  layout->addLayout(form);
  matches_ = new QListWidget(this);
  matches_->setObjectName("labels.matches");
  layout->addWidget(matches_, 1);

  auto* saveRow = new QHBoxLayout;
  saveNote_ = new QLineEdit(this);
  saveNote_->setObjectName("labels.saveNote");
  saveNote_->setPlaceholderText(tr("what this save is for (kept in the history)"));
  save_ = new QPushButton(tr("Save Labels"), this);
  saveRow->addWidget(saveNote_, 1);
  saveRow->addWidget(save_);
  layout->addLayout(saveRow);
  saveStatus_ = new QLabel(this);
  saveStatus_->setWordWrap(true);
  layout->addWidget(saveStatus_);

  connect(add, &QPushButton::clicked, this, &LabelEditPanel::addClass);
  connect(newClass_, &QLineEdit::returnPressed, this, &LabelEditPanel::addClass);
  connect(classes_, &QListWidget::currentTextChanged, this, [this](const QString& name) {
    if (!name.isEmpty()) edits_->setActiveClass(name.toStdString());
  });
  connect(classes_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { edits_->relabelSelected(item->text().toStdString()); });
  connect(note_, &QLineEdit::returnPressed, this, [this] {
    const auto index = edits_->selected();
    if (index >= 0 && edits_->labels().intervals[static_cast<std::size_t>(index)].note !=
                          note_->text().toStdString())
      edits_->setSelectedNote(note_->text().toStdString());
  });
  connect(find_, &QLineEdit::textChanged, this, &LabelEditPanel::refreshMatches);
  connect(matches_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    const int index = item->data(Qt::UserRole).toInt();
    const auto& intervals = edits_->labels().intervals;
    if (index < 0 || index >= static_cast<int>(intervals.size())) return;
    edits_->select(index);
    const auto& interval = intervals[static_cast<std::size_t>(index)];
    emit jumpRequested(interval.start_s, interval.end_s);
  });
  connect(save_, &QPushButton::clicked, this, [this] { emit saveRequested(saveNote_->text()); });
  connect(edits_, &LabelEditController::labelsChanged, this, [this](bool dragOnly) {
    if (!dragOnly) refresh();
  });
  connect(edits_, &LabelEditController::selectionChanged, this, &LabelEditPanel::refreshSelection);
  refresh();
}

void LabelEditPanel::setSaveStatus(const QString& text) {
  saveStatus_->setText(text);
}

void LabelEditPanel::refresh() {
  refreshClasses();
  refreshSelection();
  refreshMatches();
}

void LabelEditPanel::refreshClasses() {
  const QSignalBlocker block(classes_);
  classes_->clear();
  const auto& classes = edits_->labels().classes;
  const std::string active = edits_->activeClass();
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const QString name = QString::fromStdString(classes[i]);
    auto* item = new QListWidgetItem(swatch(palette_->color(classes[i])), name, classes_);
    item->setToolTip(i < 9 ? tr("key %1 relabels the selected interval as %2").arg(i + 1).arg(name)
                           : name);
    if (classes[i] == active) classes_->setCurrentItem(item);
  }
}

void LabelEditPanel::refreshSelection() {
  const int index = edits_->selected();
  const auto& intervals = edits_->labels().intervals;
  const bool has = index >= 0 && index < static_cast<int>(intervals.size());
  note_->setEnabled(has);
  if (!has) {
    selection_->setText(tr("no interval selected"));
    note_->clear();
    return;
  }
  const auto& interval = intervals[static_cast<std::size_t>(index)];
  selection_->setText(describe(interval));
  note_->setText(QString::fromStdString(interval.note));
}

void LabelEditPanel::refreshMatches() {
  matches_->clear();
  const auto& intervals = edits_->labels().intervals;
  for (const int index : edits_->findByNote(find_->text())) {
    const auto& interval = intervals[static_cast<std::size_t>(index)];
    auto* item = new QListWidgetItem(
        QStringLiteral("%1 — %2").arg(describe(interval), QString::fromStdString(interval.note)),
        matches_);
    item->setData(Qt::UserRole, index);
  }
}

void LabelEditPanel::addClass() {
  const QString name = newClass_->text().trimmed();
  if (name.isEmpty()) return;
  if (edits_->addClass(name.toStdString())) newClass_->clear();
}

}  // namespace imuwb::widgets
