#pragma once
// The status bar's permanent parts: the progress of a file being opened with its Cancel button,
// "Validating <file>…" while a validation runs, and the cursor, view and selection times.
// Transient messages ("Opened x", "Run failed: …") go through QStatusBar::showMessage as before.
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;
class QWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;

class WorkbenchStatusBar : public QObject {
  Q_OBJECT
 public:
  // Widgets are created as children of owner and placed on bar; the times follow axis.
  WorkbenchStatusBar(QStatusBar* bar, const TimeAxisModel* axis, QWidget* owner);

  void openStarted(const QString& path);  // progress at 0, "Opening <file>…"
  void openProgress(const QString& path, double fraction, const QString& stage);
  void openCancelling();
  void setLoading(bool loading);  // shows or hides the progress and its Cancel button
  void validationStarted(const QString& path);
  void validationDrained();
  void showTimes();  // cursor · view · selection, from the axis

 signals:
  void cancelOpenRequested();

 private:
  const TimeAxisModel* axis_;
  QLabel* times_ = nullptr;
  QProgressBar* openProgress_ = nullptr;
  QToolButton* openCancel_ = nullptr;
  QLabel* validation_ = nullptr;
};

}  // namespace imuwb::widgets
