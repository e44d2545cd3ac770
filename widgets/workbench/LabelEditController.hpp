#pragma once
// The label editing of the open sessions: per session a core LabelEditor (its labels, its
// undo/redo history, alive until the window closes), the side-car LabelStore it saves to, the
// selected interval, the class new intervals get and ELAN's segmentation mode. The strip's
// gestures (LabelEditInteraction), the Edit and Labels menus and the labels panel all call the
// operations here, so a menu entry, a key and a test reach the same code. An operation the core
// refuses (imuwb::Error) changes nothing and is reported through failed().
// Saving, the journal and the questions they ask are LabelSaveController's.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "labels/LabelEditor.hpp"
#include "labels/LabelStore.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

// One session's labels as they are being edited.
struct LabelDocument {
  std::weak_ptr<const Session> session;
  std::filesystem::path path;       // the session file; empty for a session built in memory
  std::optional<LabelStore> store;  // nullopt: nowhere to save (not an .h5 session, or unreadable)
  QString storeError;               // why there is no store, when there is none
  LabelEditor editor;
  int journalDepth = -1;        // undo depth when the journal was last written (-1: never)
  bool journalOffered = false;  // a journal found at open was offered for recovery
  int recoveredBase = -1;       // the revision recovered edits started from (-1: none)
  // The recovery question was put off: the journal on disk holds another run's edits, so it is
  // neither overwritten by autosave nor removed by a save until it is asked again (next open).
  bool journalDeferred = false;
};

class LabelEditController : public QObject {
  Q_OBJECT
 public:
  explicit LabelEditController(QObject* parent = nullptr);
  ~LabelEditController() override;

  // The session the timeline shows (nullptr: none). Its document is made the first time: the
  // side-car's labels when it has one, else the embedded ones; labels the session in memory
  // holds that differ (attached from a CSV) become the first undoable step.
  void showSession(const std::shared_ptr<const Session>& session);
  LabelDocument* document() { return current_; }
  const LabelDocument* document() const { return current_; }
  const LabelSet& labels() const;  // the current document's (empty without one)
  bool hasDocument() const { return current_ != nullptr; }
  // Every session's document made so far (the journal and the close question look at all).
  std::vector<LabelDocument*> documents() const;

  // Selection: an interval of labels() (-1 for none).
  int selected() const { return selected_; }
  void select(int index);
  // The class a new interval gets (create, segmentation): a name from labels().classes.
  std::string activeClass() const;
  void setActiveClass(const std::string& name);

  // Edits, each one undo step. False (and failed()) when the core refuses.
  bool create(double start_s, double end_s);  // of activeClass()
  bool splitAt(double time_s);
  bool mergeWithNext();  // the selected interval and the one after it
  bool relabelSelected(const std::string& label);
  bool relabelSelected(int classIndex);  // 0-based index into the class list
  bool setSelectedNote(const std::string& note);
  bool removeSelected();
  // The stretch [start, end) takes the predicted intervals.
  bool acceptPrediction(double start_s, double end_s, const std::vector<LabelInterval>& predicted);
  bool addClass(const std::string& name);
  // Replaces every interval and the class list as one step (journal recovery, reload).
  bool replaceAll(const LabelSet& labels, const std::string& name);

  // A drag of one edge of interval index: one undo step, Esc (cancelDrag) restores.
  bool beginDrag(int index, IntervalEdge edge);
  void updateDrag(double time_s);
  void commitDrag();
  void cancelDrag();
  bool dragging() const;

  void undo();
  void redo();
  bool canUndo() const;
  bool canRedo() const;
  QString undoText() const;  // "Undo split", or "Undo" when there is nothing to undo
  QString redoText() const;
  bool modified() const;

  // Segmentation (ELAN): while on, segmentAt(t) closes the interval opened at the last press
  // (of activeClass()) at t and opens the next one there. The first press only opens.
  void setSegmenting(bool on);
  bool segmenting() const { return segmenting_; }
  std::optional<double> segmentOpen_s() const { return segmentOpen_s_; }
  bool segmentAt(double time_s);

  // Indices of the intervals whose note contains text (case-insensitive); all with a note when
  // text is empty.
  std::vector<int> findByNote(const QString& text) const;

  // The document's undo history was rebuilt (reload): views refresh as after any edit.
  void documentReset();

 signals:
  // Labels changed: after an edit, undo, redo, or a session switch. dragOnly: a drag update
  // (views that are slow to redraw may wait for the commit).
  void labelsChanged(bool dragOnly);
  void selectionChanged(int index);
  void documentShown(imuwb::widgets::LabelDocument* document);  // a session's first showing
  void failed(const QString& message);

 private:
  template <class Edit>
  bool apply(Edit edit, std::optional<double> selectAt_s);
  void reselect(std::optional<double> at_s);
  std::optional<double> selectedMiddle() const;
  LabelDocument* documentFor(const std::shared_ptr<const Session>& session);

  std::vector<std::unique_ptr<LabelDocument>> documents_;
  LabelDocument* current_ = nullptr;
  int selected_ = -1;
  std::string activeClass_;
  bool segmenting_ = false;
  std::optional<double> segmentOpen_s_;
};

// The whole-set edit from -> to, named (journal recovery, reload from disk, attached labels).
LabelEdit replaceAllEdit(const LabelSet& from, const LabelSet& to, const std::string& name);

}  // namespace imuwb::widgets
