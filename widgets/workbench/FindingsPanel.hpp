#pragma once
// The Messages dock: every error and warning of this window's jobs (open, run, playback, parity,
// evaluation, calibration), newest first, each with where it happened, the problem and its fix
// in full. The status bar shows only the latest, in short; this list keeps them all.
#include <QWidget>
#include <vector>

#include "WorkbenchMessage.hpp"

QT_BEGIN_NAMESPACE
class QTreeWidget;
class QPushButton;
QT_END_NAMESPACE

namespace imuwb::widgets {

class FindingsPanel : public QWidget {
  Q_OBJECT
 public:
  enum Column { Time, Level, Context, Problem, Fix, Columns };
  explicit FindingsPanel(QWidget* parent = nullptr);
  void add(const WorkbenchMessage& message);
  void clear();
  int count() const { return static_cast<int>(messages_.size()); }
  const WorkbenchMessage& message(int index) const;  // 0 = oldest
  QTreeWidget* list() const { return list_; }

 signals:
  void messageAdded(const imuwb::widgets::WorkbenchMessage& message);

 private:
  QTreeWidget* list_;
  QPushButton* clear_;
  std::vector<WorkbenchMessage> messages_;
};

}  // namespace imuwb::widgets
