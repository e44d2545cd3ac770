#pragma once
// Hover readouts: answer a ToolTip event with text computed for the point under the mouse.
#include <QHelpEvent>
#include <QString>
#include <QToolTip>
#include <QWidget>

namespace imuwb::widgets {

// Shows `text` at the event's position, or hides the tip when there is nothing to say there.
inline void answerToolTip(const QHelpEvent& help, const QString& text, QWidget* owner) {
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(help.globalPos(), text, owner);
}

}  // namespace imuwb::widgets
