#include "DefaultDockLayout.hpp"

#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>
#include <algorithm>

#include "AgreementStrip.hpp"
#include "LabelStrip.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"

namespace imuwb::widgets {

namespace {

int timelineMinimum(const QMainWindow& window) {
  const auto* timeline = qobject_cast<const TimelineView*>(window.centralWidget());
  if (!timeline) return 200;
  // Two devices (collar and harness) until a session says otherwise.
  const int charts = std::max<int>(6, static_cast<int>(timeline->charts().size()));
  int strips = timeline->labelStrip()->sizeHint().height();
  // Review mode's agreement strip under the signals (MainWindowReview.cpp), when shown.
  if (const auto* agreement = timeline->findChild<const AgreementStrip*>();
      agreement && !agreement->isHidden())
    strips += agreement->sizeHint().height();
  return strips + charts * (kReadableChartHeight + 1);
}

}  // namespace

bool layoutSqueezesTimeline(const QMainWindow& window) {
  const auto* centre = window.centralWidget();
  if (!centre) return false;
  // What the side docks take is what the timeline does not get (a dock in a hidden tab keeps a
  // stale size, so the docks' own widths would mislead).
  const int sides = window.width() - centre->width();
  return sides > window.width() * 0.45 || centre->height() < window.height() / 3 ||
         centre->height() < std::min(timelineMinimum(window), window.height() / 2) * 9 / 10;
}

void focusBottomDock(QMainWindow& window, QDockWidget* dock) {
  dock->show();
  dock->raise();
  const auto* centre = window.centralWidget();
  if (!centre) return;
  // The bottom area's height now plus what the timeline can give without dropping below its
  // readable minimum; the dock gets that less its neighbours' share.
  const int spare = std::max(0, centre->height() - timelineMinimum(window));
  const int wanted = std::max(300, window.height() / 2);
  window.resizeDocks({dock}, {std::min(wanted, dock->height() + spare)}, Qt::Vertical);
}

DockLayoutGuard::DockLayoutGuard(QMainWindow& window) : QObject(&window), window_(window) {
  window_.installEventFilter(this);
}

DockLayoutGuard* DockLayoutGuard::of(const QMainWindow& window) {
  return window.findChild<DockLayoutGuard*>(QString(), Qt::FindDirectChildrenOnly);
}

QDockWidget* DockLayoutGuard::dock(const char* name) const {
  return window_.findChild<QDockWidget*>(QString::fromLatin1(name));
}

void DockLayoutGuard::restore(const QByteArray& state, int version) {
  if (state.isEmpty() || !window_.restoreState(state, version)) {
    reset();
    return;
  }
  narrow_ = dock("dock.run") && window_.dockWidgetArea(dock("dock.run")) == Qt::LeftDockWidgetArea;
  checkRestored_ = true;  // sizes are known at the first show
}

void DockLayoutGuard::reset() {
  for (auto* d : window_.findChildren<QDockWidget*>()) {
    d->setFloating(false);
    d->show();
  }
  if (window_.isVisible())
    applyDefault();
  else
    pendingDefault_ = true;
}

bool DockLayoutGuard::eventFilter(QObject* watched, QEvent* event) {
  if (watched != &window_) return false;
  if (event->type() == QEvent::Show && (pendingDefault_ || checkRestored_)) {
    // After the show the layout has its real geometry; decide then.
    QTimer::singleShot(0, this, [this] {
      if (pendingDefault_ || (checkRestored_ && layoutSqueezesTimeline(window_))) applyDefault();
      pendingDefault_ = checkRestored_ = false;
    });
  } else if (event->type() == QEvent::Resize && window_.isVisible() && !pendingDefault_) {
    const bool narrow = window_.width() < kNarrowWindowWidth;
    if (narrow != narrow_) arrangeSides(narrow);
  }
  return false;
}

void DockLayoutGuard::applyDefault() {
  auto* probabilities = dock("dock.probabilities");
  auto* motifs = dock("dock.motifs");
  auto* latent = dock("dock.latent");
  auto* parity = dock("dock.parity");
  auto* evaluation = dock("dock.evaluation");
  auto* messages = dock("dock.messages");  // optional: tabbed after evaluation
  if (!probabilities || !motifs || !latent || !parity || !evaluation) return;
  window_.addDockWidget(Qt::BottomDockWidgetArea, probabilities);
  if (short_()) {
    // Two rows: the probabilities, then motifs, latent, parity and evaluation as tabs, so the
    // tabs get a usable height and the six channel charts still fit.
    window_.splitDockWidget(probabilities, motifs, Qt::Vertical);
    window_.tabifyDockWidget(motifs, latent);
    window_.tabifyDockWidget(latent, parity);
    window_.tabifyDockWidget(parity, evaluation);
    if (messages) window_.tabifyDockWidget(evaluation, messages);
    if (auto* review = dock("dock.review")) window_.tabifyDockWidget(evaluation, review);
    motifs->raise();
  } else {
    window_.splitDockWidget(probabilities, motifs, Qt::Vertical);
    window_.splitDockWidget(motifs, latent, Qt::Vertical);
    window_.tabifyDockWidget(latent, parity);
    window_.tabifyDockWidget(parity, evaluation);
    if (messages) window_.tabifyDockWidget(evaluation, messages);
    if (auto* review = dock("dock.review")) window_.tabifyDockWidget(evaluation, review);
    latent->raise();
  }
  arrangeSides(window_.width() < kNarrowWindowWidth);
  pendingDefault_ = false;
  // Sizes once the docks above are in place (resizeDocks right after moving docks is ignored).
  QTimer::singleShot(0, this, [this] {
    sizeSides();
    sizeBottom();
  });
}

void DockLayoutGuard::arrangeSides(bool narrow) {
  narrow_ = narrow;
  auto* sessions = dock("dock.sessions");
  auto* run = dock("dock.run");
  auto* playback = dock("dock.playback");
  if (!sessions || !run || !playback) return;
  if (narrow) {
    // One tabbed column on the left: the timeline keeps three quarters of the width.
    window_.addDockWidget(Qt::LeftDockWidgetArea, sessions);
    window_.tabifyDockWidget(sessions, run);
    window_.tabifyDockWidget(run, playback);
  } else {
    window_.addDockWidget(Qt::LeftDockWidgetArea, sessions);
    window_.addDockWidget(Qt::RightDockWidgetArea, run);
    window_.splitDockWidget(run, playback, Qt::Vertical);
  }
  // The label editing panel (optional): a tab beside the sessions, so it takes no width.
  if (auto* labels = dock("dock.labels")) window_.tabifyDockWidget(sessions, labels);
  sessions->raise();
  QTimer::singleShot(0, this, [this] { sizeSides(); });
}

void DockLayoutGuard::sizeSides() {
  const int width = window_.width();
  if (narrow_)
    window_.resizeDocks({dock("dock.sessions")}, {std::clamp(width / 4, 200, 300)}, Qt::Horizontal);
  else
    window_.resizeDocks({dock("dock.sessions"), dock("dock.run")},
                        {std::clamp(width / 6, 220, 380), std::clamp(width / 7, 220, 340)},
                        Qt::Horizontal);
}

bool DockLayoutGuard::short_() const {
  return window_.height() < kShortWindowHeight;
}

void DockLayoutGuard::sizeBottom() {
  // The timeline and the bottom rows share the height left by the menus, toolbar and status
  // bar. The bottom takes what the timeline can spare, at most half of it; the tabbed row gets
  // more than either time chart.
  auto* probabilities = dock("dock.probabilities");
  auto* motifs = dock("dock.motifs");
  auto* latent = dock("dock.latent");
  int shared = window_.centralWidget()->height() + probabilities->height() + motifs->height();
  if (!short_()) shared += latent->height();
  const int bottom = std::clamp(shared - timelineMinimum(window_) - 10, 200, shared / 2);
  if (short_()) {
    const int chart = bottom * 2 / 5;
    window_.resizeDocks({probabilities, motifs}, {chart, bottom - chart}, Qt::Vertical);
    return;
  }
  const int chart = bottom * 22 / 100;
  window_.resizeDocks({probabilities, motifs, latent}, {chart, chart, bottom - 2 * chart},
                      Qt::Vertical);
}

}  // namespace imuwb::widgets
