// imuwb-gui: the workbench window. A thin shell over widgets and core jobs.
//   imuwb-gui [files...] [--run] [--parity CALIB.npy] [--evaluate CALIB.npy]
//             [--screenshot OUT.png [--view NAME] [--size WxH] [--range A:B]]
//             [--probabilities lines|stacked] [--motifs lines|heatmap]
//             [--calib-dialog ... (CalibDialogShot.hpp)]
//             [--convert-dialog ... (ConvertDialogShot.hpp)]
// Files are sessions (.h5/.csv/.json), model bundles (folder/.onnx/manifest) or outputs files.
// --screenshot opens the files, runs the first model on the last session with the default
// backend, renders one view to a PNG and exits (works with QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QPixmap>
#include <QPushButton>
#include <QTimer>
#include <cstdio>
#include <string_view>

#include "BackendChoiceBox.hpp"
#include "CalibDialogShot.hpp"
#include "ConvertDialogShot.hpp"
#include "EvaluationPanel.hpp"
#include "LabelEditShot.hpp"
#include "LabelStrip.hpp"
#include "MainWindow.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "ReviewController.hpp"
#include "TimelineView.hpp"
#include "common/BuildInfo.hpp"

namespace {

// The evaluation panel compares cpu against int8 (calibrated from calib) on the last session;
// with --view evaluation the other docks and the timeline step aside, and the cell with the most
// confused windows is listed. False (message printed) when the evaluation failed.
bool evaluateForScreenshot(imuwb::widgets::MainWindow& window, const QString& calib,
                           const QString& viewName) {
  if (viewName == "evaluation") {
    for (auto* dock : window.findChildren<QDockWidget*>())
      if (dock->objectName() != "dock.evaluation") dock->hide();
    window.timeline()->hide();
  }
  auto* panel = window.evaluationPanel();
  panel->compareCheck()->setChecked(true);
  panel->sideB()->setCurrentBackend("int8");
  QString error;
  if (!window.evaluateAndWait(QDir::current().absoluteFilePath(calib), 10 * 60 * 1000, &error)) {
    std::fprintf(stderr, "imuwb-gui: the evaluation failed: %s\n", qPrintable(error));
    return false;
  }
  const auto& confusion = panel->outcome()->result.sides.at(0).confusion;
  std::size_t most = 0;
  int label = -1, prediction = -1;
  for (std::size_t t = 0; t < confusion.classCount(); ++t)
    for (std::size_t p = 0; p < confusion.classCount(); ++p)
      if (t != p && confusion.count(t, p) > most) {
        most = confusion.count(t, p);
        label = static_cast<int>(t);
        prediction = static_cast<int>(p);
      }
  if (label >= 0) panel->showCell(label, prediction);
  return true;
}

int takeScreenshot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args) {
  const QString viewName = args.value("view");
  QWidget* target = window.view(viewName);
  if (!target) {
    std::fprintf(stderr, "imuwb-gui: unknown --view '%s'; use one of: %s\n", qPrintable(viewName),
                 qPrintable(imuwb::widgets::MainWindow::viewNames().join(", ")));
    return 2;
  }
  if (window.canRun()) {
    QString error;
    if (args.isSet("parity")) {
      if (viewName == "parity") {
        // The whole window for the parity view: the other docks and the timeline step aside.
        for (auto* dock : window.findChildren<QDockWidget*>())
          if (dock->objectName() != "dock.parity") dock->hide();
        window.timeline()->hide();
      }
      if (!window.parityAndWait(QDir::current().absoluteFilePath(args.value("parity")),
                                10 * 60 * 1000, &error)) {
        std::fprintf(stderr, "imuwb-gui: the parity run failed: %s\n", qPrintable(error));
        return 1;
      }
    }
    if (args.isSet("evaluate") && !evaluateForScreenshot(window, args.value("evaluate"), viewName))
      return 1;
    if ((viewName == "parity" && args.isSet("parity")) ||
        (viewName == "evaluation" && args.isSet("evaluate"))) {
      // The view shows its own result; no model run needed.
    } else if (viewName == "playback" || args.isSet("play")) {
      // A short as-fast-as-possible playback fills the latency readout.
      QEventLoop loop;
      QObject::connect(window.playback(), &imuwb::widgets::PlaybackController::finished, &loop,
                       &QEventLoop::quit);
      QTimer::singleShot(60000, &loop, &QEventLoop::quit);
      window.playbackPanel()->setSpeed(0);  // as fast as possible
      window.playbackPanel()->playButton()->click();
      loop.exec();
    } else if (!window.runAndWait(10 * 60 * 1000, &error)) {
      std::fprintf(stderr, "imuwb-gui: the run failed: %s\n", qPrintable(error));
      return 1;
    }
  }
  if (args.isSet("range")) {
    const auto parts = args.value("range").split(':');
    if (parts.size() == 2) {
      const double a = parts[0].toDouble(), b = parts[1].toDouble();
      window.timeAxis()->setView({a, b});
      window.timeAxis()->setCursor((a + b) / 2);
    }
  }
  if (args.isSet("select")) {
    const auto parts = args.value("select").split(':');
    if (parts.size() == 2)
      window.timeAxis()->setSelection({parts[0].toDouble(), parts[1].toDouble()});
  }
  if (args.isSet("review")) {  // the review dock up, the cursor on the Nth disagreement
    window.focusReview();
    window.timeAxis()->setCursor(window.timeAxis()->extent().start_s);
    for (int i = 0; i < std::max(1, args.value("review").toInt()); ++i) window.review()->next();
  }
  // Let layouts settle, then recompute plots at their final sizes.
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
  window.refreshAllNow();
  QApplication::processEvents();
  const QPixmap pixmap = target->grab();
  if (!pixmap.save(args.value("screenshot"))) {
    std::fprintf(stderr, "imuwb-gui: cannot write %s\n", qPrintable(args.value("screenshot")));
    return 2;
  }
  std::printf("imuwb-gui: wrote %s (%dx%d, view %s)\n", qPrintable(args.value("screenshot")),
              pixmap.width(), pixmap.height(), qPrintable(viewName));
  return 0;
}

// --screenshot: opens the files (waiting for them and their validation), then renders what the
// options ask for. 0 on success; 1 when a file did not open or the shot failed.
int openAndTakeScreenshot(imuwb::widgets::MainWindow& window, const QStringList& files,
                          const QCommandLineParser& args) {
  window.openPaths(files);  // sessions load in the background, in order
  QStringList errors;
  window.waitForOpens(imuwb::widgets::MainWindow::kOpenTimeoutMs, &errors);
  // Sessions show before their validation ends; screenshots show the findings too.
  if (!window.waitForValidation())
    std::fprintf(stderr, "imuwb-gui: timed out waiting for validation; findings may be missing\n");
  for (const auto& error : errors)
    std::fprintf(stderr, "imuwb-gui: could not open %s\n", qPrintable(error));
  if (!errors.isEmpty())
    std::fprintf(stderr, "imuwb-gui: %d file(s) could not be opened\n",
                 static_cast<int>(errors.size()));
  if (args.isSet("label-edit") && !prepareLabelEditShot(window, args)) return 1;
  const int rc = args.isSet("calib-dialog")     ? takeCalibDialogShot(window, args)
                 : args.isSet("convert-dialog") ? takeConvertDialogShot(window, args)
                                                : takeScreenshot(window, args);
  return rc != 0 ? rc : (errors.isEmpty() ? 0 : 1);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("IMU Model Workbench");
  QApplication::setOrganizationName("imuwb");
  QApplication::setApplicationVersion(imuwb::build_info::kVersion);

  QCommandLineParser args;
  args.setApplicationDescription("IMU Model Workbench: sessions, model outputs, runs and playback");
  args.addHelpOption();
  args.addVersionOption();
  args.addPositionalArgument("files", "sessions, model bundles or outputs files to open",
                             "[files...]");
  args.addOption(
      {"screenshot", "render a view to OUT.png after running the model, then exit", "OUT.png"});
  args.addOption({"view",
                  "view for --screenshot: " + imuwb::widgets::MainWindow::viewNames().join(", "),
                  "NAME", "window"});
  args.addOption({"size", "window size for --screenshot", "WxH", "1600x1000"});
  args.addOption({"range", "visible time range in seconds, e.g. 60:90", "A:B"});
  args.addOption({"select", "selection in seconds, e.g. 70:75", "A:B"});
  args.addOption(
      {"play", "with --screenshot: live playback (as fast as possible) instead of a run"});
  args.addOption({"review", "with --screenshot: review mode at the Nth disagreement", "N"});
  args.addOption({"run", "run the model on the last session once the files are open"});
  args.addOption({"parity",
                  "compare cpu against int8 (calibrated from CALIB.npy) on the last session and "
                  "fill the parity view",
                  "CALIB.npy"});
  args.addOption({"evaluate",
                  "evaluate cpu and int8 (calibrated from CALIB.npy) against the last session's "
                  "labels and fill the evaluation panel",
                  "CALIB.npy"});
  args.addOption({"theme", "light, dark or system (default: the saved choice)", "THEME"});
  args.addOption({"probabilities", "class probabilities as lines or stacked", "STYLE"});
  args.addOption({"motifs", "motif scores as lines or heatmap", "STYLE"});
  addCalibDialogShotOptions(args);
  addConvertDialogShotOptions(args);
  addLabelEditShotOptions(args);
  args.process(app);

  const bool screenshot = args.isSet("screenshot");
  if (screenshot) {
    // Screenshots must not depend on (or change) the user's saved layout and recent files.
    QCoreApplication::setOrganizationName("imuwb-screenshot");
  }
  imuwb::widgets::MainWindow window;
  if (args.isSet("theme")) {
    const QString theme = args.value("theme");
    window.applyTheme(theme == "dark"    ? imuwb::widgets::Theme::Dark
                      : theme == "light" ? imuwb::widgets::Theme::Light
                                         : imuwb::widgets::Theme::System);
  }
  if (screenshot) {
    window.resetLayout();
    const auto size = args.value("size").split('x');
    if (size.size() == 2) window.resize(size[0].toInt(), size[1].toInt());
  }
  // Style options: a name the chart does not offer is an error, not a silent fallback.
  using imuwb::widgets::WindowSeriesChart;
  const std::pair<const char*, WindowSeriesChart*> styled[] = {
      {"probabilities", window.probabilityChart()}, {"motifs", window.motifChart()}};
  for (const auto& [option, chart] : styled) {
    if (!args.isSet(option)) {
      // Screenshots show the default style, whatever an earlier screenshot run chose.
      if (screenshot) chart->setStyle(WindowSeriesChart::Style::Lines);
      continue;
    }
    const QString wanted = args.value(option);
    bool known = false;
    for (auto style : {WindowSeriesChart::Style::Lines, WindowSeriesChart::Style::StackedAreas,
                       WindowSeriesChart::Style::Heatmap}) {
      if (WindowSeriesChart::styleName(style) != wanted) continue;
      chart->setStyle(style);
      known = chart->style() == style;
    }
    if (!known) {
      std::fprintf(stderr, "imuwb-gui: --%s %s is not a style of that view; use %s\n", option,
                   qPrintable(wanted),
                   std::string_view(option) == "motifs" ? "lines or heatmap" : "lines or stacked");
      return 2;
    }
  }
  window.show();
  QStringList files;
  for (const auto& file : args.positionalArguments())
    files << QDir::current().absoluteFilePath(file);
  if (screenshot) {
    return openAndTakeScreenshot(window, files, args);
  }
  // --run and --parity start once every file has opened (sessions load in the background).
  QObject::connect(
      &window, &imuwb::widgets::MainWindow::opensFinished, &window,
      [&window, &args] {
        if (!window.canRun()) return;
        if (args.isSet("run")) window.startRun();
        if (args.isSet("parity"))
          window.startParity(QDir::current().absoluteFilePath(args.value("parity")));
        if (args.isSet("evaluate")) {
          window.evaluationPanel()->compareCheck()->setChecked(true);
          window.startEvaluation(QDir::current().absoluteFilePath(args.value("evaluate")));
        }
      },
      Qt::SingleShotConnection);
  QTimer::singleShot(0, &window, [&window, files] { window.openPaths(files); });
  return app.exec();
}
