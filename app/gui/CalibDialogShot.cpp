#include "CalibDialogShot.hpp"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QEventLoop>
#include <QPixmap>
#include <QTimer>
#include <cstdio>
#include <functional>

#include "CalibClassPicker.hpp"
#include "CalibExportDialog.hpp"
#include "CalibRangeList.hpp"
#include "MainWindow.hpp"
#include "TimeAxisModel.hpp"
#include "common/Error.hpp"
#include "quant/CalibrationSelection.hpp"

namespace {

constexpr int kWaitMs = 10 * 60 * 1000;

// Runs an event loop until done() holds after one of the dialog's signals; false on timeout.
template <class Signal>
bool waitFor(imuwb::widgets::CalibExportDialog* dialog, Signal signal,
             const std::function<bool()>& done) {
  QEventLoop loop;
  QTimer timeout;
  timeout.setSingleShot(true);
  QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
  QObject::connect(dialog, signal, &loop, [&] {
    if (done()) loop.quit();
  });
  timeout.start(kWaitMs);
  if (!done()) loop.exec();
  return done();
}

void choose(imuwb::widgets::MainWindow& window, imuwb::widgets::CalibExportDialog* dialog,
            const QCommandLineParser& args) {
  const auto parts = args.value("select").split(':');
  if (parts.size() == 2) {
    // As if Shift+dragged on the timeline, then added on the model's first device.
    window.timeAxis()->setSelection({parts[0].toDouble(), parts[1].toDouble()});
    dialog->ranges()->addSelection();
  }
  for (const auto& text : args.values("calib-range"))
    dialog->ranges()->addRange(imuwb::quant::parseCalibrationRange(text.toStdString()));
  if (args.isSet("calib-classes"))
    dialog->classes()->setChecked(args.value("calib-classes").split(',', Qt::SkipEmptyParts));
  if (args.isSet("calib-balance"))
    dialog->balanceBox()->setCurrentIndex(
        dialog->balanceBox()->findData(args.value("calib-balance")));
}

}  // namespace

void addCalibDialogShotOptions(QCommandLineParser& args) {
  args.addOption({"calib-dialog",
                  "with --screenshot: render Tools > Export Calibration Set… (the --select range "
                  "added from the timeline)"});
  args.addOption({"calib-range", "with --calib-dialog: one more range", "DEVICE:START-END"});
  args.addOption({"calib-classes", "with --calib-dialog: classes to check", "a,b,..."});
  args.addOption({"calib-balance", "with --calib-dialog: none or classes", "MODE"});
  args.addOption({"calib-check",
                  "with --calib-dialog: show the other sessions' coverage of SET.npy", "SET.npy"});
}

int takeCalibDialogShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args) {
  using imuwb::widgets::CalibExportDialog;
  window.showCalibExportDialog();
  auto* dialog = window.calibExportDialog();
  try {
    choose(window, dialog, args);
  } catch (const imuwb::Error& error) {
    std::fprintf(stderr, "imuwb-gui: %s\n", error.what());
    return 2;
  }
  dialog->replanNow();
  if (!waitFor(dialog, &CalibExportDialog::planShown,
               [dialog] { return !dialog->planPending(); })) {
    std::fprintf(stderr, "imuwb-gui: the calibration plan did not finish\n");
    return 1;
  }
  if (args.isSet("calib-check")) {
    bool shown = false;
    QObject::connect(dialog, &CalibExportDialog::coverageShown, dialog, [&shown] { shown = true; });
    if (!dialog->startCoverage(QDir::current().absoluteFilePath(args.value("calib-check"))) ||
        !waitFor(dialog, &CalibExportDialog::coverageShown, [&shown] { return shown; })) {
      std::fprintf(stderr, "imuwb-gui: the coverage check did not finish\n");
      return 1;
    }
  }
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QPixmap pixmap = dialog->grab();
  if (!pixmap.save(args.value("screenshot"))) {
    std::fprintf(stderr, "imuwb-gui: cannot write %s\n", qPrintable(args.value("screenshot")));
    return 2;
  }
  std::printf("imuwb-gui: wrote %s (%dx%d, calibration dialog)\n",
              qPrintable(args.value("screenshot")), pixmap.width(), pixmap.height());
  return 0;
}
