#pragma once
// The calibration dialog's label classes: one checkbox per session class. Checked classes are
// the export's CalibExportJobOptions::classes (`--classes a,b`): only windows wholly inside one
// interval of a checked class are taken. None checked: no class filter.
#include <QStringList>
#include <QWidget>
#include <string>
#include <vector>

QT_BEGIN_NAMESPACE
class QListWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class CalibClassPicker : public QWidget {
  Q_OBJECT
 public:
  explicit CalibClassPicker(QWidget* parent = nullptr);

  void setClasses(const QStringList& classes);  // keeps the checks of classes still there
  QStringList classes() const;
  void setChecked(const QStringList& classes);  // exactly these checked
  std::vector<std::string> checked() const;     // in the session's class order
  QListWidget* list() const { return list_; }

 signals:
  void changed();

 private:
  QListWidget* list_;
};

}  // namespace imuwb::widgets
