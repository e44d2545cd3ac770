#include "TimeInteraction.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>

#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

TimeInteraction::TimeInteraction(TimeAxisModel* axis,
                                 std::function<std::pair<double, double>()> plotSpan,
                                 QObject* parent)
    : QObject(parent), axis_(axis), plotSpan_(std::move(plotSpan)) {}

TimeMapping TimeInteraction::mapping() const {
  const auto [left, width] = plotSpan_();
  return TimeMapping{axis_->view(), left, std::max(1.0, width)};
}

bool TimeInteraction::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::Wheel: {
      auto* wheel = static_cast<QWheelEvent*>(event);
      const double steps = wheel->angleDelta().y() / 120.0 + wheel->angleDelta().x() / 120.0;
      if (steps == 0) return false;
      if (wheel->modifiers() & Qt::ShiftModifier)
        axis_->panByFraction(-0.1 * steps);
      else
        axis_->zoom(std::pow(0.8, steps), mapping().toTime(wheel->position().x()));
      return true;
    }
    case QEvent::MouseButtonPress: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      if (mouse->button() != Qt::LeftButton) return false;
      pressPos_ = mouse->position();
      pressTime_ = mapping().toTime(pressPos_.x());
      pressView_ = axis_->view();
      moved_ = false;
      drag_ = (mouse->modifiers() & Qt::ShiftModifier) ? Drag::Select : Drag::Pan;
      return true;
    }
    case QEvent::MouseMove: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      const auto map = mapping();
      if (drag_ == Drag::None) {
        emit hovered(map.toTime(mouse->position().x()), mouse->position());
        return false;
      }
      if (std::abs(mouse->position().x() - pressPos_.x()) > 3) moved_ = true;
      if (!moved_) return true;
      if (drag_ == Drag::Pan) {
        const double dt = (mouse->position().x() - pressPos_.x()) / map.width * pressView_.length();
        axis_->setView({pressView_.start_s - dt, pressView_.end_s - dt});
      } else {
        axis_->setSelection({pressTime_, map.toTime(mouse->position().x())});
      }
      return true;
    }
    case QEvent::MouseButtonRelease: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      if (mouse->button() != Qt::LeftButton || drag_ == Drag::None) return false;
      if (!moved_) axis_->setCursor(pressTime_);
      drag_ = Drag::None;
      return true;
    }
    case QEvent::MouseButtonDblClick: {
      if (axis_->selection().valid() && axis_->view() != axis_->selection())
        axis_->zoomToSelection();
      else
        axis_->showAll();
      return true;
    }
    case QEvent::KeyPress: {
      auto* key = static_cast<QKeyEvent*>(event);
      switch (key->key()) {
        case Qt::Key_Left:
          axis_->panByFraction(-0.1);
          return true;
        case Qt::Key_Right:
          axis_->panByFraction(0.1);
          return true;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
          axis_->zoomIn();
          return true;
        case Qt::Key_Minus:
          axis_->zoomOut();
          return true;
        case Qt::Key_Home:
          axis_->showAll();
          return true;
        case Qt::Key_Escape:
          axis_->clearSelection();
          return true;
        default:
          return false;
      }
    }
    default:
      return QObject::eventFilter(watched, event);
  }
}

}  // namespace imuwb::widgets
