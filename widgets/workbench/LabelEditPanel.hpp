#pragma once
// The Labels dock: the class list (with each class's colour from the shared ClassPalette; the
// highlighted class is the one new intervals get, a double-click relabels the selected interval,
// and a class can be added), the selected interval with its note, a find box that lists the
// intervals whose note matches (a click jumps there), and the save line (a note for the saved
// version, Save, and the labels' state: revision, unsaved edits). A view of LabelEditController:
// it refreshes on the controller's signals and calls its operations.
#include <QWidget>
#include <string>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
QT_END_NAMESPACE

namespace imuwb::widgets {

class ClassPalette;
class LabelEditController;

class LabelEditPanel : public QWidget {
  Q_OBJECT
 public:
  LabelEditPanel(LabelEditController* edits, const ClassPalette* palette,
                 QWidget* parent = nullptr);

  QListWidget* classList() const { return classes_; }
  QLineEdit* newClassEdit() const { return newClass_; }
  QLineEdit* noteEdit() const { return note_; }
  QLineEdit* findEdit() const { return find_; }
  QListWidget* matchList() const { return matches_; }
  QLineEdit* saveNoteEdit() const { return saveNote_; }
  QPushButton* saveButton() const { return save_; }
  // The state line under Save ("revision 3, saved" / "unsaved edits" / why it cannot save).
  void setSaveStatus(const QString& text);

 signals:
  void saveRequested(const QString& note);
  void jumpRequested(double start_s, double end_s);

 public slots:
  void refresh();  // classes, selection, matches from the controller

 private:
  void refreshClasses();
  void refreshSelection();
  void refreshMatches();
  void addClass();

  LabelEditController* edits_;
  const ClassPalette* palette_;
  QListWidget* classes_;
  QLineEdit* newClass_;
  QLabel* selection_;
  QLineEdit* note_;
  QLineEdit* find_;
  QListWidget* matches_;
  QLineEdit* saveNote_;
  QPushButton* save_;
  QLabel* saveStatus_;
};

}  // namespace imuwb::widgets
