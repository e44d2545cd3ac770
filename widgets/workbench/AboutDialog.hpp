#pragma once
#include <QDialog>

namespace imuwb::widgets {

// Version and build information, with the versions of the libraries the workbench runs on.
class AboutDialog : public QDialog {
  Q_OBJECT
 public:
  explicit AboutDialog(QWidget* parent = nullptr);
};

}  // namespace imuwb::widgets
