#pragma once
// The calibration dialog's coverage of the other sessions: per session, the worst channel's
// fraction of samples outside the set's range (from the coverage job), in the warning colour
// above the threshold, or the error that kept the session from being checked.
#include <QWidget>

#include "CalibCoverageRunner.hpp"

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class CalibCoverageTable : public QWidget {
  Q_OBJECT
 public:
  enum Column { SessionColumn, ChannelColumn, OutsideColumn, StatusColumn, ColumnCount };
  explicit CalibCoverageTable(QWidget* parent = nullptr);

  void showSummary(const CoverageSummary& summary);
  void showStatus(const QString& text);  // "checking…", "no other session", an error
  QTableWidget* table() const { return table_; }
  QLabel* status() const { return status_; }

 private:
  QTableWidget* table_;
  QLabel* status_;
};

}  // namespace imuwb::widgets
