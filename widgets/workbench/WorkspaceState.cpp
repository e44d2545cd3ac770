#include "WorkspaceState.hpp"

#include <algorithm>

#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

QString PlaybackRecord::summary() const {
  if (partial())
    return QObject::tr("partial (%1 of %2 windows)").arg(windowsDone).arg(windowsTotal);
  return QObject::tr("%1 windows").arg(windowsDone);
}

int WorkspaceState::addSession(OpenSession open) {
  sessions_.push_back(std::move(open));
  return static_cast<int>(sessions_.size()) - 1;
}

int WorkspaceState::indexOf(const Session* session) const {
  const auto it = std::find_if(sessions_.begin(), sessions_.end(), [&](const OpenSession& open) {
    return open.session.get() == session;
  });
  return it == sessions_.end() ? -1 : static_cast<int>(it - sessions_.begin());
}

bool WorkspaceState::setCurrent(int index) {
  if (index < 0 || index >= static_cast<int>(sessions_.size()) || index == current_) return false;
  current_ = index;
  emit currentSessionChanged(index);
  return true;
}

std::shared_ptr<const Session> WorkspaceState::currentSession() const {
  if (current_ < 0) return nullptr;
  return sessions_[static_cast<std::size_t>(current_)].session;
}

void WorkspaceState::replaceSession(int index, std::shared_ptr<const Session> session) {
  auto& open = sessions_.at(static_cast<std::size_t>(index));
  const Session* old = open.session.get();
  if (const auto it = results_.find(old); it != results_.end()) {
    auto kept = std::move(it->second);
    results_.erase(it);
    results_[session.get()] = std::move(kept);
  }
  open.session = std::move(session);
  emit resultsChanged(open.session.get());
}

std::shared_ptr<const ModelBundle> WorkspaceState::model(int index) const {
  if (index < 0 || index >= static_cast<int>(models_.size())) return nullptr;
  return models_[static_cast<std::size_t>(index)];
}

const SessionResults& WorkspaceState::results(const Session* session) const {
  static const SessionResults none;
  const auto it = results_.find(session);
  return it == results_.end() ? none : it->second;
}

void WorkspaceState::setOutputs(const Session* session, std::shared_ptr<const ModelOutputs> outputs,
                                const QString& note, double fraction) {
  auto& results = at(session);
  results.outputs = std::move(outputs);
  results.outputsNote = note;
  results.outputsFraction = fraction;
}

void WorkspaceState::runFinished(const Session* session, const RunKey& key,
                                 std::shared_ptr<const ModelOutputs> outputs, bool fromCache) {
  const auto windows = outputs ? outputs->windowCount() : 0;
  setOutputs(session, std::move(outputs),
             fromCache ? tr("%1 windows (from cache)").arg(windows) : tr("%1 windows").arg(windows),
             1.0);
  auto& results = at(session);
  results.runKey = key;
  results.lastRunError.clear();
  emit resultsChanged(session);
}

void WorkspaceState::runFailed(const Session* session, const QString& message) {
  at(session).lastRunError = message;
  emit resultsChanged(session);
}

void WorkspaceState::outputsOpened(const Session* session,
                                   std::shared_ptr<const ModelOutputs> outputs) {
  // nullptr clears what the session shows.
  const auto windows = outputs ? outputs->windowCount() : 0;
  const QString note = outputs ? tr("%1 windows (from a file)").arg(windows) : QString();
  setOutputs(session, std::move(outputs), note, windows > 0 ? 1.0 : 0.0);
  at(session).runKey.reset();
  emit resultsChanged(session);
}

void WorkspaceState::playbackStarted(const Session* session, double start_s,
                                     std::size_t windowsTotal) {
  beforePlayback_[session] = at(session);
  PlaybackRecord record;
  record.start_s = start_s;
  record.windowsTotal = windowsTotal;
  at(session).playback = record;
  emit resultsChanged(session);
}

void WorkspaceState::playbackUpdated(const Session* session,
                                     std::shared_ptr<const ModelOutputs> outputs,
                                     const LatencyStats& stats) {
  auto& results = at(session);
  if (!results.playback) results.playback = PlaybackRecord{};
  auto& record = *results.playback;
  record.stats = stats;
  if (stats.windowsTotal > 0) record.windowsTotal = stats.windowsTotal;
  record.windowsDone = outputs ? outputs->windowCount() : 0;
  if (record.windowsDone > 0) {
    const double fraction =
        record.windowsTotal > 0 ? double(record.windowsDone) / double(record.windowsTotal) : 1.0;
    setOutputs(session, std::move(outputs), record.summary(), std::min(1.0, fraction));
    results.runKey.reset();
  }
  emit resultsChanged(session);
}

void WorkspaceState::playbackEnded(const Session* session, PlaybackRecord::End end,
                                   const QString& message) {
  auto& results = at(session);
  if (!results.playback) results.playback = PlaybackRecord{};
  results.playback->end = end;
  results.playback->message = message;
  const auto before = beforePlayback_.find(session);
  if (end == PlaybackRecord::End::Failed && before != beforePlayback_.end()) {
    // A failed playback never replaces good outputs: put back what was shown before it.
    const auto record = results.playback;
    auto restored = before->second;
    restored.playback = record;
    restored.parity = results.parity;
    restored.parityNote = results.parityNote;
    results = std::move(restored);
  } else if (results.playback->windowsDone > 0) {
    results.outputsNote = tr("playback: %1").arg(results.playback->summary());
  }
  if (before != beforePlayback_.end()) beforePlayback_.erase(before);
  emit resultsChanged(session);
}

void WorkspaceState::parityFinished(const Session* session,
                                    std::shared_ptr<const analysis::ParityResult> result) {
  auto& results = at(session);
  results.parityNote.clear();
  results.parity = std::move(result);
  emit resultsChanged(session);
}

void WorkspaceState::parityNote(const Session* session, const QString& note) {
  at(session).parityNote = note;
  emit resultsChanged(session);
}

}  // namespace imuwb::widgets
