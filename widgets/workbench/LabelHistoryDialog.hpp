#pragma once
// Labels ▸ History…: the saved versions of the current session's labels (current first) with
// revision, author, time, note and size, and "Restore This Version", which saves the chosen
// version as a new revision (LabelSaveController::restore): nothing is deleted, the restored-over
// version stays in the history.
#include <QDialog>
#include <vector>

#include "labels/LabelsFile.hpp"

QT_BEGIN_NAMESPACE
class QPushButton;
class QTableWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class LabelSaveController;

class LabelHistoryDialog : public QDialog {
  Q_OBJECT
 public:
  LabelHistoryDialog(LabelSaveController* saving, QWidget* parent = nullptr);
  QTableWidget* table() const { return table_; }
  QPushButton* restoreButton() const { return restore_; }
  void refresh();          // re-reads the versions from the saving controller
  bool restoreSelected();  // what the button does; false when nothing was restored

 private:
  LabelSaveController* saving_;
  QTableWidget* table_;
  QPushButton* restore_;
  std::vector<LabelVersion> versions_;
};

}  // namespace imuwb::widgets
