#include "LabelEditController.hpp"

#include <algorithm>

#include "common/Error.hpp"
#include "jobs/LabelsJob.hpp"

namespace imuwb::widgets {

namespace {

bool isSessionFile(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  return ext == ".h5" || ext == ".hdf5";
}

LabelSet sortedLabels(LabelSet labels) {
  std::stable_sort(
      labels.intervals.begin(), labels.intervals.end(),
      [](const LabelInterval& a, const LabelInterval& b) { return a.start_s < b.start_s; });
  return labels;
}

double middle(const LabelInterval& interval) {
  return (interval.start_s + interval.end_s) / 2;
}

}  // namespace

LabelEdit replaceAllEdit(const LabelSet& from, const LabelSet& to, const std::string& name) {
  LabelEdit edit;
  edit.name = name;
  edit.first = 0;
  edit.before = from.intervals;
  edit.after = to.intervals;
  if (from.classes != to.classes) {
    edit.classesBefore = from.classes;
    edit.classesAfter = to.classes;
  }
  return edit;
}

LabelEditController::LabelEditController(QObject* parent) : QObject(parent) {}
LabelEditController::~LabelEditController() = default;

LabelDocument* LabelEditController::documentFor(const std::shared_ptr<const Session>& session) {
  for (auto& document : documents_)
    if (document->session.lock() == session) return document.get();
  const double origin = session->timeAt(0);
  const SampleGrid grid{session->sampleRateHz, origin, origin + session->durationSeconds()};
  const LabelSet shown = sortedLabels({session->classes, session->labels});
  std::optional<LabelStore> store;
  QString storeError;
  const auto& path = session->sourcePath;
  if (path.empty() || !isSessionFile(path)) {
    storeError =
        tr("labels are saved beside an .h5 session file; this session was %1")
            .arg(path.empty() ? tr("built in memory")
                              : tr("imported from %1 (convert it with `imuwb import`)")
                                    .arg(QString::fromStdString(path.filename().string())));
  } else {
    try {
      store.emplace(jobs::openLabelStore(path));
    } catch (const std::exception& e) {
      storeError = QString::fromUtf8(e.what());
    }
  }
  const LabelSet initial = store ? sortedLabels(store->current().labels) : shown;
  auto document = std::unique_ptr<LabelDocument>(
      new LabelDocument{session, path, std::move(store), storeError, LabelEditor(initial, grid)});
  // Labels attached to the session in memory (a CSV) are an edit of the stored ones.
  if (shown != initial)
    document->editor.perform(replaceAllEdit(initial, shown, "labels attached to the session"));
  documents_.push_back(std::move(document));
  return documents_.back().get();
}

void LabelEditController::showSession(const std::shared_ptr<const Session>& session) {
  LabelDocument* next = session ? documentFor(session) : nullptr;
  const bool switched = next != current_;
  if (switched && current_) current_->editor.cancelDrag();
  current_ = next;
  if (switched) {
    segmentOpen_s_.reset();
    selected_ = -1;
    if (current_ && activeClass().empty() && !labels().classes.empty())
      activeClass_ = labels().classes.front();
  }
  emit labelsChanged(false);
  emit selectionChanged(selected_);
  if (switched && current_) emit documentShown(current_);
}

std::vector<LabelDocument*> LabelEditController::documents() const {
  std::vector<LabelDocument*> all;
  for (const auto& document : documents_) all.push_back(document.get());
  return all;
}

const LabelSet& LabelEditController::labels() const {
  static const LabelSet none;
  return current_ ? current_->editor.labels() : none;
}

void LabelEditController::select(int index) {
  const int count = static_cast<int>(labels().intervals.size());
  const int next = index >= 0 && index < count ? index : -1;
  if (next == selected_) return;
  selected_ = next;
  emit selectionChanged(selected_);
}

std::optional<double> LabelEditController::selectedMiddle() const {
  if (selected_ < 0 || selected_ >= static_cast<int>(labels().intervals.size()))
    return std::nullopt;
  return middle(labels().intervals[static_cast<std::size_t>(selected_)]);
}

void LabelEditController::reselect(std::optional<double> at_s) {
  select(at_s ? static_cast<int>(intervalAt(labels(), *at_s)) : -1);
}

std::string LabelEditController::activeClass() const {
  const auto& classes = labels().classes;
  if (std::find(classes.begin(), classes.end(), activeClass_) != classes.end()) return activeClass_;
  return classes.empty() ? std::string() : classes.front();
}

void LabelEditController::setActiveClass(const std::string& name) {
  activeClass_ = name;
}

// Runs one edit on the current document; selectAt_s: the time whose interval is selected after.
template <class Edit>
bool LabelEditController::apply(Edit edit, std::optional<double> selectAt_s) {
  if (!current_) {
    emit failed(tr("Open a session to edit its labels."));
    return false;
  }
  try {
    edit(current_->editor);
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
  emit labelsChanged(false);
  reselect(selectAt_s);
  return true;
}

bool LabelEditController::create(double start_s, double end_s) {
  const std::string label = activeClass();
  if (label.empty()) {
    emit failed(tr("This session has no label classes yet: add one first (Labels ▸ Add Class…)."));
    return false;
  }
  const double start = std::min(start_s, end_s), end = std::max(start_s, end_s);
  return apply([&](LabelEditor& e) { e.create({start, end, label}); }, (start + end) / 2);
}

bool LabelEditController::splitAt(double time_s) {
  const auto& grid = current_ ? current_->editor.grid() : SampleGrid{};
  const double t = grid.snap(time_s);
  return apply([&](LabelEditor& e) { e.splitAt(time_s); }, t - grid.step() / 2);
}

bool LabelEditController::mergeWithNext() {
  if (selected_ < 0) {
    emit failed(tr("Select an interval to merge with the next one."));
    return false;
  }
  const auto first = static_cast<std::size_t>(selected_);
  const double at = labels().intervals[first].start_s;
  return apply([&](LabelEditor& e) { e.merge(first, first + 1); }, at);
}

bool LabelEditController::relabelSelected(const std::string& label) {
  if (selected_ < 0) {
    emit failed(tr("Select an interval to relabel."));
    return false;
  }
  const auto index = static_cast<std::size_t>(selected_);
  const double at = middle(labels().intervals[index]);
  const bool done = apply([&](LabelEditor& e) { e.relabel(index, label); }, at);
  if (done) activeClass_ = label;
  return done;
}

bool LabelEditController::relabelSelected(int classIndex) {
  const auto& classes = labels().classes;
  if (classIndex < 0 || classIndex >= static_cast<int>(classes.size())) {
    emit failed(tr("There is no class %1 (the class list has %2).")
                    .arg(classIndex + 1)
                    .arg(classes.size()));
    return false;
  }
  return relabelSelected(classes[static_cast<std::size_t>(classIndex)]);
}

bool LabelEditController::setSelectedNote(const std::string& note) {
  if (selected_ < 0) {
    emit failed(tr("Select an interval to annotate."));
    return false;
  }
  const auto index = static_cast<std::size_t>(selected_);
  const double at = middle(labels().intervals[index]);
  return apply([&](LabelEditor& e) { e.setNote(index, note); }, at);
}

bool LabelEditController::removeSelected() {
  if (selected_ < 0) {
    emit failed(tr("Select an interval to delete."));
    return false;
  }
  const auto index = static_cast<std::size_t>(selected_);
  return apply([&](LabelEditor& e) { e.remove(index); }, std::nullopt);
}

bool LabelEditController::acceptPrediction(double start_s, double end_s,
                                           const std::vector<LabelInterval>& predicted) {
  if (predicted.empty()) {
    emit failed(tr("There is no prediction to accept: run the model on the session first (F5)."));
    return false;
  }
  return apply([&](LabelEditor& e) { e.acceptPrediction(start_s, end_s, predicted); },
               (start_s + end_s) / 2);
}

bool LabelEditController::addClass(const std::string& name) {
  const std::optional<double> keep = selectedMiddle();
  const bool done = apply([&](LabelEditor& e) { e.addClass(name); }, keep);
  if (done) activeClass_ = name;
  return done;
}

bool LabelEditController::replaceAll(const LabelSet& next, const std::string& name) {
  const LabelSet sorted = sortedLabels(next);
  return apply([&](LabelEditor& e) { e.perform(replaceAllEdit(e.labels(), sorted, name)); },
               std::nullopt);
}

bool LabelEditController::beginDrag(int index, IntervalEdge edge) {
  if (!current_ || index < 0) return false;
  try {
    current_->editor.beginDrag(static_cast<std::size_t>(index), edge);
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
  select(index);
  return true;
}

void LabelEditController::updateDrag(double time_s) {
  if (!dragging()) return;
  current_->editor.updateDrag(time_s);
  emit labelsChanged(true);
}

void LabelEditController::commitDrag() {
  if (!dragging()) return;
  const std::optional<double> keep = selectedMiddle();
  current_->editor.commitDrag();
  emit labelsChanged(false);
  reselect(keep);
}

void LabelEditController::cancelDrag() {
  if (!dragging()) return;
  current_->editor.cancelDrag();
  emit labelsChanged(false);
}

bool LabelEditController::dragging() const {
  return current_ && current_->editor.dragging();
}

void LabelEditController::undo() {
  if (!canUndo()) return;
  const std::optional<double> keep = selectedMiddle();
  current_->editor.undo();
  emit labelsChanged(false);
  reselect(keep);
}

void LabelEditController::redo() {
  if (!canRedo()) return;
  const std::optional<double> keep = selectedMiddle();
  current_->editor.redo();
  emit labelsChanged(false);
  reselect(keep);
}

bool LabelEditController::canUndo() const {
  return current_ && current_->editor.canUndo();
}
bool LabelEditController::canRedo() const {
  return current_ && current_->editor.canRedo();
}
bool LabelEditController::modified() const {
  return current_ && current_->editor.modified();
}

QString LabelEditController::undoText() const {
  return canUndo() ? tr("Undo %1").arg(QString::fromStdString(current_->editor.undoText()))
                   : tr("Undo");
}

QString LabelEditController::redoText() const {
  return canRedo() ? tr("Redo %1").arg(QString::fromStdString(current_->editor.redoText()))
                   : tr("Redo");
}

void LabelEditController::setSegmenting(bool on) {
  segmenting_ = on;
  segmentOpen_s_.reset();
}

bool LabelEditController::segmentAt(double time_s) {
  if (!segmenting_ || !current_) return false;
  const double t = current_->editor.grid().snap(time_s);
  if (!segmentOpen_s_ || t <= *segmentOpen_s_) {
    segmentOpen_s_ = t;  // the first press (or a press behind the open one) only opens
    return true;
  }
  const double open = *segmentOpen_s_;
  if (!create(open, t)) return false;
  segmentOpen_s_ = t;
  return true;
}

std::vector<int> LabelEditController::findByNote(const QString& text) const {
  std::vector<int> found;
  const auto& intervals = labels().intervals;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const QString note = QString::fromStdString(intervals[i].note);
    if (note.isEmpty()) continue;
    if (text.isEmpty() || note.contains(text, Qt::CaseInsensitive))
      found.push_back(static_cast<int>(i));
  }
  return found;
}

void LabelEditController::documentReset() {
  const std::optional<double> keep = selectedMiddle();
  selected_ = -1;  // indices may be stale: the labels were replaced
  emit labelsChanged(false);
  reselect(keep);
}

}  // namespace imuwb::widgets
