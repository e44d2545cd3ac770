#pragma once
// The open workspace in one place: the sessions, the models, and what was computed for each
// session (the outputs its views show and the run that gave them, its parity result, its last
// playback). Every panel is a view of it (MainWindowState.cpp shows a session's results):
// - a run, playback or parity result belongs to the session it was computed on and is shown only
//   with that session, so switching sessions shows the other session's own results;
// - a failed run, or a failed playback, leaves the last good outputs in place;
// - a stopped playback keeps the windows it completed and is recorded as partial.
// Runs themselves are memoised by RunKey (session, model, backend and its settings, stride) in
// the run controller's RunResultCache; the state records which run each session shows.
// Qt-side (a QObject, so views can follow it), but it holds core and widget-level data only.
#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "ModelOutputs.hpp"
#include "PlaybackController.hpp"
#include "RunResultCache.hpp"
#include "SessionOpener.hpp"
#include "analysis/ParityResult.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

// One playback over a session: where it started, how far it got, how it ended.
struct PlaybackRecord {
  double start_s = 0;
  std::size_t windowsDone = 0;
  std::size_t windowsTotal = 0;  // windows from start_s to the end of the session
  enum class End { Running, Complete, Stopped, Failed } end = End::Running;
  QString message;  // the controller's last word ("playback stopped", "playback failed: …")
  LatencyStats stats;
  bool partial() const { return windowsDone < windowsTotal; }
  // "1199 windows", or "partial (300 of 1199 windows)" when it did not reach the end.
  QString summary() const;
};

// What one session's views show.
struct SessionResults {
  std::shared_ptr<const ModelOutputs> outputs;  // the outputs views; nullptr = none yet
  QString outputsNote;                          // the run panel's line ("1199 windows", …)
  double outputsFraction = 0;                   // the run panel's bar (1 = complete)
  std::optional<RunKey> runKey;                 // the run that gave outputs, when a run did
  QString lastRunError;                         // the last failed run (outputs were kept)
  std::shared_ptr<const analysis::ParityResult> parity;
  QString parityNote;  // the parity view's status line
  std::optional<PlaybackRecord> playback;
};

class WorkspaceState : public QObject {
  Q_OBJECT
 public:
  explicit WorkspaceState(QObject* parent = nullptr) : QObject(parent) {}

  // Sessions, in the order opened; the current one is what the timeline shows.
  int addSession(OpenSession open);  // returns its index (does not make it current)
  const std::vector<OpenSession>& sessions() const { return sessions_; }
  std::vector<OpenSession>& sessions() { return sessions_; }
  int indexOf(const Session* session) const;  // -1 when not open
  int currentIndex() const { return current_; }
  bool setCurrent(int index);  // false when out of range or already current
  std::shared_ptr<const Session> currentSession() const;
  // Replaces an open session's data (labels attached); its results stay with it.
  void replaceSession(int index, std::shared_ptr<const Session> session);

  // Models, in the order opened.
  void addModel(std::shared_ptr<const ModelBundle> bundle) { models_.push_back(std::move(bundle)); }
  const std::vector<std::shared_ptr<const ModelBundle>>& models() const { return models_; }
  std::shared_ptr<const ModelBundle> model(int index) const;  // nullptr when out of range

  // Results, per session (an unknown session has none).
  const SessionResults& results(const Session* session) const;
  const SessionResults& currentResults() const { return results(currentSession().get()); }

  void runFinished(const Session* session, const RunKey& key,
                   std::shared_ptr<const ModelOutputs> outputs, bool fromCache);
  void runFailed(const Session* session, const QString& message);  // outputs are kept
  void outputsOpened(const Session* session, std::shared_ptr<const ModelOutputs> outputs);
  void playbackStarted(const Session* session, double start_s, std::size_t windowsTotal);
  // Windows received so far; an empty snapshot leaves the earlier outputs shown.
  void playbackUpdated(const Session* session, std::shared_ptr<const ModelOutputs> outputs,
                       const LatencyStats& stats);
  // A stopped playback keeps what it completed (partial); a failed one puts back the outputs
  // shown before it started.
  void playbackEnded(const Session* session, PlaybackRecord::End end, const QString& message);
  void parityFinished(const Session* session, std::shared_ptr<const analysis::ParityResult> result);
  void parityNote(const Session* session, const QString& note);  // failed, cancelled: result kept

 signals:
  void currentSessionChanged(int index);
  // A session's results changed (views of the current session refresh when it is current).
  void resultsChanged(const imuwb::Session* session);

 private:
  SessionResults& at(const Session* session) { return results_[session]; }
  void setOutputs(const Session* session, std::shared_ptr<const ModelOutputs> outputs,
                  const QString& note, double fraction);

  std::vector<OpenSession> sessions_;
  int current_ = -1;
  std::vector<std::shared_ptr<const ModelBundle>> models_;
  std::map<const Session*, SessionResults> results_;
  // The outputs a playback replaced, put back when it fails.
  std::map<const Session*, SessionResults> beforePlayback_;
};

}  // namespace imuwb::widgets
