#include "ReviewController.hpp"

#include <QTimer>
#include <algorithm>
#include <optional>

#include "AgreementStrip.hpp"
#include "ReviewPanel.hpp"
#include "TimeAxisModel.hpp"
#include "common/Error.hpp"

namespace imuwb::widgets {

namespace {

constexpr int kConfidenceLevels = 4;

std::vector<AgreementBand> toBands(const std::vector<eval::AgreementSpan>& spans) {
  std::vector<AgreementBand> bands;
  bands.reserve(spans.size());
  for (const auto& s : spans) {
    const auto state = s.state == eval::AgreementSpan::State::Agrees ? AgreementBand::State::Agrees
                       : s.state == eval::AgreementSpan::State::Disagrees
                           ? AgreementBand::State::Disagrees
                           : AgreementBand::State::Unlabelled;
    bands.push_back({s.start_s, s.end_s, state, s.level});
  }
  return bands;
}

}  // namespace

ReviewController::ReviewController(TimeAxisModel* axis, ReviewPanel* panel, AgreementStrip* strip,
                                   QObject* parent)
    : QObject(parent), axis_(axis), panel_(panel), strip_(strip), pending_(new QTimer(this)) {
  pending_->setSingleShot(true);
  connect(pending_, &QTimer::timeout, this, &ReviewController::recompute);
  connect(panel_, &ReviewPanel::stretchActivated, this,
          [this](std::size_t stretch) { reveal(stretch, true); });
}

eval::WindowPredictions ReviewController::predictions(const ModelOutputs& outputs,
                                                      double sampleRateHz) {
  eval::WindowPredictions p;
  const auto& probabilities = outputs.probabilities;
  const std::size_t rows = std::min(outputs.windowCount(), probabilities.rows());
  p.classes = probabilities.columnNames;
  p.classes.resize(probabilities.width);  // unnamed columns stay empty names
  for (std::size_t c = 0; c < p.classes.size(); ++c)
    if (p.classes[c].empty()) p.classes[c] = "class " + std::to_string(c);
  p.centre_s.resize(rows);
  for (std::size_t w = 0; w < rows; ++w) p.centre_s[w] = outputs.windowCentre_s(w);
  p.span_s = static_cast<double>(outputs.strideSamples) / sampleRateHz;
  p.probabilities.classes = probabilities.width;
  p.probabilities.values.assign(
      probabilities.values.begin(),
      probabilities.values.begin() + static_cast<std::ptrdiff_t>(rows * probabilities.width));
  return p;
}

void ReviewController::setInputs(std::shared_ptr<const Session> session,
                                 std::shared_ptr<const ModelOutputs> outputs, bool streaming) {
  if (session == session_ && outputs == outputs_) return;
  const bool otherSession = session != session_;
  if (otherSession) editedLabels_.reset();
  session_ = std::move(session);
  outputs_ = std::move(outputs);
  const qint64 since = lastRecompute_.isValid() ? lastRecompute_.elapsed() : kStreamingInterval_ms;
  if (!streaming || otherSession || since >= kStreamingInterval_ms)
    recompute();
  else if (!pending_->isActive())
    pending_->start(static_cast<int>(kStreamingInterval_ms - since));
}

bool ReviewController::recomputePending() const {
  return pending_->isActive();
}

void ReviewController::refresh() {
  recompute();
}

void ReviewController::setLabels(std::optional<std::vector<LabelInterval>> labels) {
  editedLabels_ = std::move(labels);
  recompute();
}

const std::vector<LabelInterval>& ReviewController::labels() const {
  return editedLabels_ ? *editedLabels_ : session_->labels;
}

void ReviewController::recompute() {
  pending_->stop();
  lastRecompute_.start();
  // The stretch under review, found again by its start in the new review (a playback update
  // or a label edit elsewhere keeps the reviewer's place).
  std::optional<eval::Stretch> before;
  if (review_ && panel_->current() >= 0)
    before = review_->stretches[static_cast<std::size_t>(panel_->current())];
  review_.reset();
  QString why;
  std::vector<AgreementBand> bands;
  if (!session_ || !outputs_ || outputs_->probabilities.empty()) {
    why = tr("Run the model on a labelled session to review where it disagrees.");
  } else if (labels().empty()) {
    why =
        tr("This session has no labels: open or attach labels to review the model against "
           "them.");
  } else {
    try {
      const auto p = predictions(*outputs_, session_->sampleRateHz);
      review_ = std::make_shared<const eval::SessionReview>(eval::reviewSession(p, labels()));
      bands = toBands(eval::agreementSpans(p, eval::windowLabels(labels(), p.classes, p.centre_s),
                                           kConfidenceLevels));
    } catch (const Error& e) {
      why = QString::fromUtf8(e.what());
    }
  }
  panel_->setReview(review_, why);
  strip_->setBands(std::move(bands), kConfidenceLevels);
  strip_->setHighlight({});
  if (!review_ || !before) return;
  for (std::size_t i = 0; i < review_->stretches.size(); ++i) {
    const auto& s = review_->stretches[i];
    if (s.start_s == before->start_s && s.truth == before->truth &&
        s.predicted == before->predicted) {
      panel_->setCurrent(static_cast<long>(i));
      strip_->setHighlight({s.start_s, s.end_s});
      break;
    }
  }
}

bool ReviewController::next() {
  const long i =
      review_ ? eval::nextStretch(review_->stretches, panel_->byTime(), axis_->cursor()) : -1;
  if (i < 0) {
    emit status(review_ ? tr("No further disagreement after the cursor")
                        : tr("Nothing to review: run the model on a labelled session"));
    return false;
  }
  reveal(static_cast<std::size_t>(i), false);
  return true;
}

bool ReviewController::previous() {
  const long i =
      review_ ? eval::previousStretch(review_->stretches, panel_->byTime(), axis_->cursor()) : -1;
  if (i < 0) {
    emit status(review_ ? tr("No earlier disagreement before the cursor")
                        : tr("Nothing to review: run the model on a labelled session"));
    return false;
  }
  reveal(static_cast<std::size_t>(i), false);
  return true;
}

void ReviewController::reveal(std::size_t stretch, bool zoom) {
  if (!review_ || stretch >= review_->stretches.size()) return;
  const auto& s = review_->stretches[stretch];
  const auto view = axis_->view();
  const bool fits = s.length_s() * 1.2 <= view.length();
  if (zoom || !fits) {
    const double pad = std::max(2.0, s.length_s() * 0.5);
    axis_->setView({s.start_s - pad, s.end_s + pad});
  } else if (s.start_s < view.start_s || s.end_s > view.end_s) {
    const double centre = (s.start_s + s.end_s) / 2;
    axis_->setView({centre - view.length() / 2, centre + view.length() / 2});
  }
  axis_->setSelection({s.start_s, s.end_s});
  axis_->setCursor(s.start_s);
  strip_->setHighlight({s.start_s, s.end_s});
  panel_->setCurrent(static_cast<long>(stretch));
}

}  // namespace imuwb::widgets
