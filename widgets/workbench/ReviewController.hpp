#pragma once
// Review mode's logic: the open session's labels against the outputs shown for it, as core's
// SessionReview (eval/Disagreements), into the review panel and the agreement strip, and the
// steps between disagreements on the shared time axis. Keyboard steps keep the zoom and move the
// view only as far as needed to show the stretch; a click in the list zooms to the stretch.
// Either way the cursor goes to the stretch's start and the stretch becomes the selection, so
// playback (Ctrl+Space) plays it and the cursor follows.
#include <QElapsedTimer>
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

#include "ModelOutputs.hpp"
#include "eval/Disagreements.hpp"

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class ReviewPanel;
class AgreementStrip;

class ReviewController : public QObject {
  Q_OBJECT
 public:
  ReviewController(TimeAxisModel* axis, ReviewPanel* panel, AgreementStrip* strip,
                   QObject* parent = nullptr);

  // The session's labels against these outputs; recomputed only when either changed (a label
  // edit that replaces the session counts as a change). Null clears the review. streaming: the
  // outputs of a playback under way, recomputed at most every kStreamingInterval_ms (the last
  // update always lands) so a fast playback of a long session leaves the GUI thread free.
  void setInputs(std::shared_ptr<const Session> session,
                 std::shared_ptr<const ModelOutputs> outputs, bool streaming = false);
  static constexpr int kStreamingInterval_ms = 500;
  bool recomputePending() const;
  void refresh();  // recompute from the same inputs (labels edited in place)
  // Labels being edited (the label editor's, MainWindowLabelEdit.cpp): reviewed instead of the
  // session's until another session is set (nullopt: the session's again).
  void setLabels(std::optional<std::vector<LabelInterval>> labels);
  std::shared_ptr<const eval::SessionReview> review() const { return review_; }

  // The next / previous stretch the panel's filters let through, from the cursor; false when
  // there is none (the status says so).
  bool next();
  bool previous();
  // Shows stretch on the time axis: zoom = fit the view to it, else keep the span and pan only
  // when it is not fully in view.
  void reveal(std::size_t stretch, bool zoom);

  // The model's per-window outputs as the review reads them.
  static eval::WindowPredictions predictions(const ModelOutputs& outputs, double sampleRateHz);

 signals:
  void status(const QString& text);  // "no further disagreement", for the status bar

 private:
  void recompute();

  TimeAxisModel* axis_;
  ReviewPanel* panel_;
  AgreementStrip* strip_;
  const std::vector<LabelInterval>& labels() const;

  std::shared_ptr<const Session> session_;
  std::optional<std::vector<LabelInterval>> editedLabels_;
  std::shared_ptr<const ModelOutputs> outputs_;
  std::shared_ptr<const eval::SessionReview> review_;
  QTimer* pending_;  // the trailing recompute of streamed outputs
  QElapsedTimer lastRecompute_;
};

}  // namespace imuwb::widgets
