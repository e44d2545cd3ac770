#pragma once
// The calibration dialog's class-balance table: a core CalibrationPlan shown as it is (the
// selection counting and sampling live in core/quant, never here). One row per class with its
// candidate windows and the windows the set will take, a total row, the layout and resulting
// array shape, why the other windows were excluded, and the plan's findings (fewer than
// requested, below the 1000 Hailo recommends, a rare, absent or balance-limiting class) each
// with its fix. A class with no window is marked in the warning colour.
#include <QStringList>
#include <QWidget>

#include "quant/CalibrationPlan.hpp"

QT_BEGIN_NAMESPACE
class QLabel;
class QListWidget;
class QTableWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class CalibBalanceTable : public QWidget {
  Q_OBJECT
 public:
  enum Column { ClassColumn, CandidatesColumn, ExportedColumn, NoteColumn, ColumnCount };
  static QColor warningColor();

  explicit CalibBalanceTable(QWidget* parent = nullptr);

  // classes: the rows to show even without a window (the checked classes, or all the session's);
  // classes the plan counts are shown too. The last row is the total.
  void showPlan(const quant::CalibrationPlan& plan, const QStringList& classes);
  void showPending();                      // a new plan is being computed
  void showError(const QString& message);  // the selection cannot be planned (message has the fix)

  QTableWidget* table() const { return table_; }
  QLabel* summary() const { return summary_; }
  QListWidget* warnings() const { return warnings_; }

 private:
  void fillRow(int row, const QString& name, std::size_t candidates, std::size_t exported,
               const QString& note, bool warn);

  QTableWidget* table_;
  QLabel* summary_;
  QLabel* excluded_;
  QListWidget* warnings_;
};

}  // namespace imuwb::widgets
