// imuwb-gui: the workbench window. A thin shell over widgets and core jobs.
#include <QApplication>
#include <QMainWindow>

#include "AboutDialog.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("IMU Model Workbench");
  QApplication::setOrganizationName("imuwb");
  QMainWindow window;
  window.setWindowTitle("IMU Model Workbench");
  window.resize(1200, 800);
  window.show();
  return app.exec();
}
