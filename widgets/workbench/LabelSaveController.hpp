#pragma once
// Saving edited labels without loss, for the GUI: Save writes the side-car through core's
// LabelStore (never the recording); a side-car another window or the CLI saved since it was
// loaded is a question (reload theirs / overwrite / cancel), never a silent overwrite; a saved
// version from the history is restored as a new save; "embed" writes a new session file on a
// background job (jobs::runLabelsEmbed). Unsaved edits go to the autosave journal every few
// seconds, are offered back when the session is opened after a crash, and are announced when
// the window closes. Every question goes through one hook (setAsk), so tests answer it.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

#include "JobRunner.hpp"
#include "LabelEditController.hpp"
#include "jobs/LabelsJob.hpp"

QT_BEGIN_NAMESPACE
class QTimer;
class QWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

struct LabelQuestion {
  enum class Kind {
    Conflict,        // the side-car changed on disk: ReloadTheirs, Overwrite or Cancel
    UnsavedOnClose,  // edits not saved: Save, Discard or Cancel
    RecoverJournal,  // an autosave journal from an editor that did not close: Recover, Discard
                     // or Cancel (keep it for later)
  };
  Kind kind;
  QString title;
  QString text;
};
enum class LabelAnswer { Cancel, Save, Discard, ReloadTheirs, Overwrite, Recover };
using LabelAsk = std::function<LabelAnswer(const LabelQuestion& question)>;

class LabelSaveController : public QObject {
  Q_OBJECT
 public:
  static constexpr int kJournalIntervalMs = 3000;

  LabelSaveController(LabelEditController* edits, QWidget* dialogParent);
  ~LabelSaveController() override;

  // The default asks in a message box over dialogParent.
  void setAsk(LabelAsk ask) { ask_ = std::move(ask); }

  // The current session's labels as the side-car's next revision, with note. False when there
  // is nowhere to save, the write failed, or a conflict was answered by reload or cancel.
  bool save(const QString& note = {});
  // Saves the labels of revision (current or kept) as a new revision; the editor follows.
  bool restore(int revision, const QString& note = {});
  // The current session's versions, current first (only the embedded labels without a side-car).
  std::vector<LabelVersion> history() const;
  QString sidecarPath() const;  // empty without a store

  // Writes a new session file with the labels shown (saved or not), in the background. False
  // when it cannot start (no session file, an embed already running).
  bool embedInto(const QString& output);
  bool embedding() const { return embeds_.busy(); }
  // Until the embed started last has settled (event loop); its outcome. For tests and scripts.
  bool waitForEmbed(int timeoutMs, QString* error = nullptr);

  // The autosave journal's timer (on by default; screenshots turn it off).
  void setAutosave(bool on);
  // Journals every document with unsaved edits not yet journalled (the timer calls it).
  void writeJournals();
  // A journal beside the document's session: offered for recovery (once per session).
  void offerJournal(LabelDocument* document);
  // Before the window closes: false when the user cancels (or a save they asked for failed).
  bool confirmClose();

 signals:
  void saved(int revision);
  void embedFinished(bool ok, const QString& message);  // message: the output, or the error
  void failed(const QString& message);

 private:
  using SaveStep = std::function<const LabelVersion&(LabelStore& store, bool force)>;
  bool saveDocument(LabelDocument& document, const SaveStep& step);
  void finishSave(LabelDocument& document, const LabelVersion& saved);
  bool resolveConflict(LabelDocument& document, const QString& problem, const SaveStep& step);
  void reloadTheirs(LabelDocument& document);
  LabelAnswer ask(const LabelQuestion& question);
  bool askBeforeClose();
  void embedSettled(bool ok, const QString& message);

  LabelEditController* edits_;
  QWidget* dialogParent_;
  LabelAsk ask_;
  QTimer* journalTimer_;
  JobRunner<jobs::LabelsSaveResult> embeds_;
  QString embedMessage_;  // the last embed's output, or why it failed
  bool embedOk_ = false;
};

}  // namespace imuwb::widgets
