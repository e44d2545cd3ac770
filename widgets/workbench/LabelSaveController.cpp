#include "LabelSaveController.hpp"

#include <QEventLoop>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStringList>
#include <QTimer>

#include "labels/LabelJournal.hpp"

namespace imuwb::widgets {

namespace {

QString fileName(const std::filesystem::path& path) {
  return QString::fromStdString(path.filename().string());
}

// The default question: a modal message box with one button per answer.
LabelAnswer askInMessageBox(QWidget* parent, const LabelQuestion& question) {
  QMessageBox box(QMessageBox::Question, question.title, question.text, QMessageBox::NoButton,
                  parent);
  std::vector<std::pair<QAbstractButton*, LabelAnswer>> buttons;
  auto add = [&](const QString& text, QMessageBox::ButtonRole role, LabelAnswer answer) {
    buttons.emplace_back(box.addButton(text, role), answer);
  };
  using Kind = LabelQuestion::Kind;
  switch (question.kind) {
    case Kind::Conflict:
      add(LabelSaveController::tr("Reload Theirs"), QMessageBox::DestructiveRole,
          LabelAnswer::ReloadTheirs);
      add(LabelSaveController::tr("Overwrite"), QMessageBox::AcceptRole, LabelAnswer::Overwrite);
      break;
    case Kind::UnsavedOnClose:
      add(LabelSaveController::tr("Save"), QMessageBox::AcceptRole, LabelAnswer::Save);
      add(LabelSaveController::tr("Discard"), QMessageBox::DestructiveRole, LabelAnswer::Discard);
      break;
    case Kind::RecoverJournal:
      add(LabelSaveController::tr("Recover"), QMessageBox::AcceptRole, LabelAnswer::Recover);
      add(LabelSaveController::tr("Discard"), QMessageBox::DestructiveRole, LabelAnswer::Discard);
      break;
  }
  box.setEscapeButton(box.addButton(QMessageBox::Cancel));
  box.exec();
  for (const auto& [button, answer] : buttons)
    if (box.clickedButton() == button) return answer;
  return LabelAnswer::Cancel;
}

}  // namespace

LabelSaveController::LabelSaveController(LabelEditController* edits, QWidget* dialogParent)
    : QObject(edits),
      edits_(edits),
      dialogParent_(dialogParent),
      journalTimer_(new QTimer(this)),
      embeds_(this, {{},
                     [this](std::shared_ptr<const jobs::LabelsSaveResult> result) {
                       embedSettled(true, QString::fromStdString(result->labelsFile.string()));
                     },
                     [this](const QString& message) { embedSettled(false, message); },
                     [this] { embedSettled(false, tr("cancelled")); }}) {
  journalTimer_->setInterval(kJournalIntervalMs);
  connect(journalTimer_, &QTimer::timeout, this, &LabelSaveController::writeJournals);
  journalTimer_->start();
  connect(edits_, &LabelEditController::documentShown, this, &LabelSaveController::offerJournal);
}

LabelSaveController::~LabelSaveController() = default;

void LabelSaveController::embedSettled(bool ok, const QString& message) {
  embedOk_ = ok;
  embedMessage_ = message;
  emit embedFinished(ok, message);
}

LabelAnswer LabelSaveController::ask(const LabelQuestion& question) {
  return ask_ ? ask_(question) : askInMessageBox(dialogParent_, question);
}

bool LabelSaveController::save(const QString& note) {
  auto* document = edits_->document();
  if (!document) {
    emit failed(tr("Open a session to save its labels."));
    return false;
  }
  const LabelSet labels = document->editor.labels();
  const bool keepJournal = document->journalDeferred;
  return saveDocument(
      *document, [labels, note, keepJournal](LabelStore& store, bool force) -> const LabelVersion& {
        LabelSaveOptions options{{}, note.toStdString(), force};
        options.keepJournal = keepJournal;
        return store.save(labels, options);
      });
}

bool LabelSaveController::restore(int revision, const QString& note) {
  auto* document = edits_->document();
  if (!document) return false;
  const bool keepJournal = document->journalDeferred;
  return saveDocument(
      *document,
      [revision, note, keepJournal](LabelStore& store, bool force) -> const LabelVersion& {
        LabelSaveOptions options{{}, note.toStdString(), force};
        options.keepJournal = keepJournal;
        return store.restore(revision, options);
      });
}

// One save of the document's store; a conflict becomes the question. The editor then holds what
// was saved (a restore changes the labels: one undoable step) and is marked saved.
bool LabelSaveController::saveDocument(LabelDocument& document, const SaveStep& step) {
  if (!document.store) {
    emit failed(tr("Cannot save labels: %1").arg(document.storeError));
    return false;
  }
  // Recovered edits started from a revision another writer has replaced since: a conflict
  // the store cannot see (it loaded the newer file), so it is asked here.
  if (document.recoveredBase >= 0 && document.recoveredBase != document.store->current().revision)
    return resolveConflict(
        document,
        tr("The recovered edits were based on revision %1; the labels file is now at revision "
           "%2 (by %3 at %4).")
            .arg(document.recoveredBase)
            .arg(document.store->current().revision)
            .arg(QString::fromStdString(document.store->current().author),
                 QString::fromStdString(document.store->current().time)),
        step);
  try {
    finishSave(document, step(*document.store, false));
    return true;
  } catch (const std::exception& e) {
    const QString problem = QString::fromUtf8(e.what());
    if (document.store->changedOnDisk()) return resolveConflict(document, problem, step);
    emit failed(tr("Saving labels failed: %1").arg(problem));
    return false;
  }
}

void LabelSaveController::finishSave(LabelDocument& document, const LabelVersion& saved) {
  if (saved.labels != document.editor.labels())  // a restore: the editor takes that version
    document.editor.perform(
        replaceAllEdit(document.editor.labels(), saved.labels, "restore a saved version"));
  document.editor.markSaved();
  document.journalDepth = -1;
  document.recoveredBase = -1;
  if (&document == edits_->document()) edits_->documentReset();
  emit this->saved(saved.revision);
}

bool LabelSaveController::resolveConflict(LabelDocument& document, const QString& problem,
                                          const SaveStep& step) {
  const QString text =
      tr("The labels of %1 were saved by another window or the command line since you opened "
         "them.\n\n%2\n\nReload theirs (your edits stay one Undo away), overwrite them (theirs "
         "are kept in the history), or cancel?")
          .arg(fileName(document.path), problem);
  switch (ask({LabelQuestion::Kind::Conflict, tr("Labels changed on disk"), text})) {
    case LabelAnswer::ReloadTheirs:
      reloadTheirs(document);
      return false;
    case LabelAnswer::Overwrite:
      try {
        finishSave(document, step(*document.store, true));
        return true;
      } catch (const std::exception& e) {
        emit failed(tr("Saving labels failed: %1").arg(QString::fromUtf8(e.what())));
        return false;
      }
    default:
      return false;
  }
}

void LabelSaveController::reloadTheirs(LabelDocument& document) {
  try {
    document.store->reload();
  } catch (const std::exception& e) {
    emit failed(tr("Reloading labels failed: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  const LabelSet& theirs = document.store->current().labels;
  document.editor.perform(
      replaceAllEdit(document.editor.labels(), theirs, "reload labels saved elsewhere"));
  document.editor.markSaved();
  document.recoveredBase = -1;
  if (&document == edits_->document()) edits_->documentReset();
}

std::vector<LabelVersion> LabelSaveController::history() const {
  const auto* document = edits_->document();
  if (!document || !document->store) return {};
  std::vector<LabelVersion> versions{document->store->current()};
  for (const auto& old : document->store->document().history) versions.push_back(old);
  return versions;
}

QString LabelSaveController::sidecarPath() const {
  const auto* document = edits_->document();
  if (!document || !document->store) return {};
  return QString::fromStdString(document->store->sidecarPath().string());
}

bool LabelSaveController::embedInto(const QString& output) {
  const auto* document = edits_->document();
  if (!document || !document->store) {
    emit failed(tr("Cannot embed labels: %1")
                    .arg(document ? document->storeError : tr("no session is open")));
    return false;
  }
  if (embeds_.busy()) return false;
  embedOk_ = false;
  embedMessage_ = tr("not finished");
  jobs::LabelsEmbedOptions options;
  options.session = document->path;
  options.output = output.toStdString();
  options.force = QFileInfo::exists(output);  // the save dialog asked about replacing it
  options.labels = document->editor.labels();
  return embeds_.run(
      [options](const JobControl& control) { return jobs::runLabelsEmbed(options, control); });
}

bool LabelSaveController::waitForEmbed(int timeoutMs, QString* error) {
  if (embeds_.busy()) {
    QEventLoop loop;
    const auto connection =
        connect(this, &LabelSaveController::embedFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    disconnect(connection);
  }
  const bool ok = !embeds_.busy() && embedOk_;
  if (!ok && error) *error = embeds_.busy() ? tr("timed out") : embedMessage_;
  return ok;
}

void LabelSaveController::setAutosave(bool on) {
  if (on)
    journalTimer_->start();
  else
    journalTimer_->stop();
}

void LabelSaveController::writeJournals() {
  for (auto* document : edits_->documents()) {
    if (!document->store || document->editor.dragging() || document->journalDeferred) continue;
    const int depth = static_cast<int>(document->editor.undoDepth());
    if (!document->editor.modified()) {
      if (document->journalDepth != -1) discardLabelJournal(document->path);
      document->journalDepth = -1;
      continue;
    }
    if (document->journalDepth == depth) continue;
    try {
      writeLabelJournal(document->path,
                        {document->store->current().revision, {}, {}, document->editor.labels()});
      document->journalDepth = depth;
    } catch (const std::exception& e) {
      emit failed(tr("Autosave of unsaved labels failed: %1").arg(QString::fromUtf8(e.what())));
    }
  }
}

void LabelSaveController::offerJournal(LabelDocument* document) {
  if (!document || !document->store || document->journalOffered) return;
  document->journalOffered = true;
  std::optional<LabelJournal> journal;
  try {
    journal = readLabelJournal(document->path);
  } catch (const std::exception& e) {
    emit failed(tr("The autosave journal cannot be read: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  if (!journal) return;
  const QString text =
      tr("%1 has unsaved label edits from %2 (autosaved at %3, based on revision %4): the "
         "workbench did not close normally. Recover them?")
          .arg(fileName(document->path), QString::fromStdString(journal->author),
               QString::fromStdString(journal->time))
          .arg(journal->baseRevision);
  switch (ask({LabelQuestion::Kind::RecoverJournal, tr("Recover unsaved labels"), text})) {
    case LabelAnswer::Recover:
      document->recoveredBase = journal->baseRevision;
      if (document == edits_->document())
        edits_->replaceAll(journal->labels, "recover unsaved edits");
      else
        document->editor.perform(
            replaceAllEdit(document->editor.labels(), journal->labels, "recover unsaved edits"));
      break;
    case LabelAnswer::Discard:
      discardLabelJournal(document->path);
      break;
    default:
      // Put off: offered again the next time the session is opened. Until then autosave leaves
      // that journal alone (these edits are not autosaved) and a save keeps it.
      document->journalDeferred = true;
      emit failed(tr("The unsaved label edits of an earlier run were kept for later: %1 is not "
                     "autosaved until you reopen it and recover or discard them.")
                      .arg(fileName(document->path)));
      break;
  }
}

bool LabelSaveController::confirmClose() {
  if (!askBeforeClose()) return false;
  journalTimer_->stop();  // the window closes: what was decided about the edits stands
  return true;
}

bool LabelSaveController::askBeforeClose() {
  QStringList unsaved;
  std::vector<LabelDocument*> modified;
  for (auto* document : edits_->documents())
    if (document->editor.modified() && !document->session.expired()) {
      modified.push_back(document);
      unsaved << (document->path.empty() ? tr("a session built in memory")
                                         : fileName(document->path));
    }
  if (modified.empty()) return true;
  const QString text = tr("The labels of %1 have unsaved edits. Save them before closing?")
                           .arg(unsaved.join(QStringLiteral(", ")));
  switch (ask({LabelQuestion::Kind::UnsavedOnClose, tr("Unsaved labels"), text})) {
    case LabelAnswer::Save:
      for (auto* document : modified) {
        const LabelSet labels = document->editor.labels();
        if (!saveDocument(*document,
                          [labels](LabelStore& store, bool force) -> const LabelVersion& {
                            return store.save(labels, {{}, "saved on close", force});
                          }))
          return false;
      }
      return true;
    case LabelAnswer::Discard:
      for (auto* document : modified)
        if (document->store) discardLabelJournal(document->path);
      return true;
    default:
      return false;
  }
}

}  // namespace imuwb::widgets
