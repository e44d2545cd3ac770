#include "ConvertDialogShot.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

#include "ConvertDialog.hpp"
#include "MainWindow.hpp"

namespace {

constexpr int kWaitMs = 10 * 60 * 1000;

// Runs an event loop until the conversion ends (finished, failed or cancelled); false on timeout.
bool waitForConversion(imuwb::widgets::ConvertDialog* dialog) {
  using imuwb::widgets::ConvertDialog;
  QEventLoop loop;
  QTimer timeout;
  timeout.setSingleShot(true);
  bool ended = false;
  const auto end = [&] {
    ended = true;
    loop.quit();
  };
  QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
  QObject::connect(dialog, &ConvertDialog::conversionFinished, &loop, end);
  QObject::connect(dialog, &ConvertDialog::conversionFailed, &loop, end);
  QObject::connect(dialog, &ConvertDialog::conversionCancelled, &loop, end);
  timeout.start(kWaitMs);
  loop.exec();
  return ended;
}

}  // namespace

void addConvertDialogShotOptions(QCommandLineParser& args) {
  args.addOption({"convert-dialog",
                  "with --screenshot: render Tools > Convert for Hailo-8… after converting the "
                  "current model (into a temporary folder)"});
  args.addOption({"convert-layout", "with --convert-dialog: nchw (default) or nhwc", "LAYOUT"});
}

int takeConvertDialogShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args) {
  window.showConvertDialog();
  auto* dialog = window.convertDialog();
  QTemporaryDir folder;
  const QString layout = args.isSet("convert-layout") ? args.value("convert-layout") : "nchw";
  const int layoutIndex = dialog->layoutBox()->findData(layout);
  if (!folder.isValid() || layoutIndex < 0) {
    std::fprintf(stderr,
                 "imuwb-gui: --convert-layout is nchw or nhwc, and a temporary folder "
                 "must be writable\n");
    return 2;
  }
  dialog->layoutBox()->setCurrentIndex(layoutIndex);
  dialog->openWhenDoneBox()->setChecked(false);  // the main window stays as it was
  const QString shownPath = dialog->outputEdit()->text();
  dialog->outputEdit()->setText(folder.filePath("converted.onnx"));
  if (!dialog->startConvert() || !waitForConversion(dialog) || !dialog->lastResult()) {
    std::fprintf(stderr, "imuwb-gui: the conversion did not finish\n");
    return 1;
  }
  // The paths a user would see: the proposed output, not the temporary folder.
  dialog->outputEdit()->setText(shownPath);
  QString status = dialog->statusLabel()->text();
  dialog->statusLabel()->setText(status.replace(folder.filePath("converted.onnx"), shownPath));
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  const QPixmap pixmap = dialog->grab();
  if (!pixmap.save(args.value("screenshot"))) {
    std::fprintf(stderr, "imuwb-gui: cannot write %s\n", qPrintable(args.value("screenshot")));
    return 2;
  }
  std::printf("imuwb-gui: wrote %s (%dx%d, convert dialog)\n", qPrintable(args.value("screenshot")),
              pixmap.width(), pixmap.height());
  return 0;
}
