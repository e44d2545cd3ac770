// MainWindow, continued: review mode. The review dock (ReviewPanel), the agreement strip under
// the signals, and Review > Next / Previous Disagreement (] and [), all over one
// ReviewController that follows the current session and the outputs shown for it.
#include <QAction>
#include <QDockWidget>
#include <QLayout>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QStatusBar>

#include "AgreementStrip.hpp"
#include "DefaultDockLayout.hpp"
#include "MainWindow.hpp"
#include "PlaybackController.hpp"
#include "ReviewController.hpp"
#include "ReviewPanel.hpp"
#include "TimelineView.hpp"

namespace imuwb::widgets {

namespace {
constexpr int kReviewStatusMs = 4000;
}

void MainWindow::buildReview() {
  reviewPanel_ = new ReviewPanel(this);
  reviewDock_ = new QDockWidget(tr("Review"), this);
  reviewDock_->setObjectName("dock.review");
  // Scrolled, so the panel's minimum height (list, matrix) does not become the minimum of the
  // tabbed bottom area and squeeze the timeline (as the parity and evaluation docks).
  auto* scroll = new QScrollArea(reviewDock_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(reviewPanel_);
  reviewDock_->setWidget(scroll);
  addDockWidget(Qt::BottomDockWidgetArea, reviewDock_);
  if (docks_.evaluationDock) tabifyDockWidget(docks_.evaluationDock, reviewDock_);
  if (auto* latent = findChild<QDockWidget*>("dock.latent")) latent->raise();
  // Under the signals: the timeline's last row.
  agreementStrip_ = new AgreementStrip(&axis_, timeline_);
  timeline_->layout()->addWidget(agreementStrip_);
  review_ = new ReviewController(&axis_, reviewPanel_, agreementStrip_, this);
  connect(review_, &ReviewController::status, this,
          [this](const QString& text) { statusBar()->showMessage(text, kReviewStatusMs); });
  auto follow = [this] {
    // A playback's updates are coalesced; its last one, and any other change, lands at once.
    review_->setInputs(currentSession(),
                       currentSession() ? state_->currentResults().outputs : nullptr,
                       playback_->running());
  };
  connect(state_, &WorkspaceState::resultsChanged, this, follow);
  connect(state_, &WorkspaceState::currentSessionChanged, this, follow);

  auto* menu = new QMenu(tr("Re&view"), this);
  auto* next = menu->addAction(tr("&Next Disagreement"), this, [this] { review_->next(); });
  next->setObjectName("action.nextDisagreement");
  next->setShortcut(QKeySequence(Qt::Key_BracketRight));
  next->setToolTip(
      tr("Jump to the next stretch where the model disagrees with the label (the "
         "review panel's filters apply)"));
  auto* previous =
      menu->addAction(tr("&Previous Disagreement"), this, [this] { review_->previous(); });
  previous->setObjectName("action.previousDisagreement");
  previous->setShortcut(QKeySequence(Qt::Key_BracketLeft));
  menu->addSeparator();
  menu->addAction(tr("Show &Review Panel"), this, [this] { focusReview(); });
  // Before Tools, after Run.
  QAction* before = nullptr;
  for (auto* action : menuBar()->actions())
    if (action->text() == tr("&Tools")) before = action;
  menuBar()->insertMenu(before, menu);
}

void MainWindow::focusReview() {
  focusBottomDock(*this, reviewDock_);
}

}  // namespace imuwb::widgets
