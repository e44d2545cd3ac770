#include "WorkbenchMenus.hpp"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QSettings>
#include <QToolBar>
#include <utility>
#include <vector>

#include "AboutDialog.hpp"
#include "ShortcutsDialog.hpp"
#include "TimeAxisModel.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchDocks.hpp"
#include "WorkbenchTr.hpp"
#include "ZoomPresets.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return workbenchTr(text);
}

using StyleChoices = std::vector<std::pair<QString, WindowSeriesChart::Style>>;

void buildFileMenu(QMainWindow& window, const MenuCommands& commands, WorkbenchMenus& menus) {
  auto* file = window.menuBar()->addMenu(tr("&File"));
  auto* openSession = file->addAction(tr("Open &Session…"), &window, commands.openSession);
  openSession->setShortcut(QKeySequence::Open);
  openSession->setToolTip(tr("Open a session (.h5), or import a CSV or sidecar JSON window"));
  auto* openModel = file->addAction(tr("Open &Model…"), &window, commands.openModel);
  openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  file->addAction(tr("Open &Outputs…"), &window, commands.openOutputs);
  auto* save = file->addAction(tr("&Save Outputs…"), &window, commands.saveOutputs);
  save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));  // Ctrl+S saves labels
  menus.recent = file->addMenu(tr("&Recent Files"));
  // Esc stops an open in progress; the action is disabled otherwise, so Esc still clears the
  // timeline selection.
  menus.cancelOpen = file->addAction(tr("&Cancel Opening"), &window, commands.cancelOpens);
  menus.cancelOpen->setObjectName("action.cancelOpen");
  menus.cancelOpen->setShortcut(QKeySequence(Qt::Key_Escape));
  menus.cancelOpen->setEnabled(false);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), &window, commands.quit);
  quit->setShortcut(QKeySequence::Quit);
}

void addStyleMenu(QMenu* viewMenu, WindowSeriesChart* chart, const QString& title,
                  const QString& settingsKey, const StyleChoices& styles) {
  // The chart's own right-click menu changes the style too; both paths end in styleChanged,
  // which checks the menu entry and remembers the choice.
  auto* menu = viewMenu->addMenu(title);
  auto* group = new QActionGroup(menu);
  std::vector<std::pair<QAction*, WindowSeriesChart::Style>> actions;
  for (const auto& [label, style] : styles) {
    auto* action = menu->addAction(label);
    action->setCheckable(true);
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, chart,
                     [chart, style] { chart->setStyle(style); });
    actions.emplace_back(action, style);
  }
  auto reflect = [actions, settingsKey](WindowSeriesChart::Style current) {
    for (const auto& [action, style] : actions) action->setChecked(style == current);
    QSettings().setValue(settingsKey, WindowSeriesChart::styleName(current));
  };
  QObject::connect(chart, &WindowSeriesChart::styleChanged, menu, reflect);
  const QString saved = QSettings().value(settingsKey).toString();
  for (const auto& [label, style] : styles)
    if (WindowSeriesChart::styleName(style) == saved) chart->setStyle(style);
  for (const auto& [action, style] : actions) action->setChecked(style == chart->style());
}

void addThemeMenu(QMainWindow& window, QMenu* viewMenu, const MenuCommands& commands) {
  auto* theme = viewMenu->addMenu(tr("&Theme"));
  auto* group = new QActionGroup(&window);
  const QSettings settings;
  const int currentTheme = settings.value("theme", 0).toInt();
  const std::pair<QString, Theme> themes[] = {{tr("Follow &system"), Theme::System},
                                              {tr("&Light"), Theme::Light},
                                              {tr("&Dark"), Theme::Dark}};
  for (const auto& [label, value] : themes) {
    auto* action = theme->addAction(label);
    action->setCheckable(true);
    action->setChecked(static_cast<int>(value) == currentTheme);
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, &window, [apply = commands.applyTheme, value] {
      QSettings().setValue("theme", static_cast<int>(value));
      apply(value);
    });
  }
}

void buildViewMenu(QMainWindow& window, TimeAxisModel* axis, const WorkbenchDocks& docks,
                   const MenuCommands& commands, WorkbenchMenus& menus) {
  auto* view = menus.view = window.menuBar()->addMenu(tr("&View"));
  auto* zoomIn = view->addAction(tr("Zoom &In"), axis, &TimeAxisModel::zoomIn);
  zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  auto* zoomOut = view->addAction(tr("Zoom &Out"), axis, &TimeAxisModel::zoomOut);
  zoomOut->setShortcut(QKeySequence::ZoomOut);
  auto* all = view->addAction(tr("Show &All"), axis, &TimeAxisModel::showAll);
  all->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  // The presets and zoom to selection: one set of actions (with the shortcuts) on the toolbar
  // and in View > Zoom To.
  auto* toolbar = window.addToolBar(tr("Zoom"));
  toolbar->setObjectName("toolbar.zoom");  // saveState/restoreState key
  toolbar->addWidget(new QLabel(tr(" Zoom: "), toolbar));
  auto* zoomTo = view->addMenu(tr("Zoom &To"));
  const auto zoomActions = addZoomActions(toolbar, axis, &window, true);
  zoomTo->addActions(zoomActions);
  view->addAction(zoomActions.back());  // Zoom to Selection, where it always was
  view->addSeparator();
  for (auto* dock : window.findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  addStyleMenu(view, docks.probabilities, tr("Class &Probabilities As"), "probabilityStyle",
               {{tr("&Lines"), WindowSeriesChart::Style::Lines},
                {tr("&Stacked Areas"), WindowSeriesChart::Style::StackedAreas}});
  addStyleMenu(view, docks.motifs, tr("&Motif Scores As"), "motifStyle",
               {{tr("&Lines"), WindowSeriesChart::Style::Lines},
                {tr("&Heatmap"), WindowSeriesChart::Style::Heatmap}});
  view->addSeparator();
  view->addAction(tr("&Reset Layout"), &window, commands.resetLayout);
  addThemeMenu(window, view, commands);
}

void buildRunMenu(QMainWindow& window, const MenuCommands& commands) {
  auto* runMenu = window.menuBar()->addMenu(tr("&Run"));
  auto* run = runMenu->addAction(tr("&Run Model"), &window, commands.run);
  run->setShortcut(QKeySequence(Qt::Key_F5));
  auto* cancel = runMenu->addAction(tr("&Cancel Run"), &window, commands.cancelRun);
  cancel->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  auto* play = runMenu->addAction(tr("&Play / Stop"), &window, commands.togglePlayback);
  play->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
  runMenu->addSeparator();
  auto* parity = runMenu->addAction(tr("P&arity (cpu vs int8)…"), &window, commands.parity);
  parity->setToolTip(
      tr("Compare the model on cpu and int8 over the session; int8 uses the calibration set "
         "of Run ▸ Calibration Set… (asked for when none is chosen)"));
  runMenu->addAction(tr("Cancel Pa&rity"), &window, commands.cancelParity);
  auto* calibration =
      runMenu->addAction(tr("Ca&libration Set…"), &window, commands.chooseCalibration);
  calibration->setObjectName("action.chooseCalibration");
  calibration->setToolTip(
      tr("The calibration set int8 uses in Run, Parity, Evaluation and "
         "Playback, chosen once"));
  runMenu->addSeparator();
  auto* evaluate = runMenu->addAction(tr("&Evaluate Against Labels…"), &window, commands.evaluate);
  evaluate->setObjectName("action.evaluate");
  evaluate->setShortcut(QKeySequence(Qt::Key_F7));
  evaluate->setToolTip(
      tr("Evaluate the model on the session's labels (imuwb evaluate): confusion, calibration, "
         "conformal sets; the backends are chosen in the Evaluation panel"));
  auto* cancelEvaluation =
      runMenu->addAction(tr("Cancel E&valuation"), &window, commands.cancelEvaluation);
  cancelEvaluation->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F7));
}

void buildToolsMenu(QMainWindow& window, const MenuCommands& commands) {
  auto* tools = window.menuBar()->addMenu(tr("&Tools"));
  auto* calib =
      tools->addAction(tr("Export &Calibration Set…"), &window, commands.exportCalibration);
  calib->setObjectName("action.exportCalibration");
  calib->setToolTip(
      tr("Cut a calibration set for the Hailo compiler from the session, by time range and "
         "label class (imuwb calib-export)"));
  auto* convert = tools->addAction(tr("Convert for &Hailo-8…"), &window, commands.convertModel);
  convert->setObjectName("action.convertModel");
  convert->setToolTip(
      tr("Rewrite the model into the form the Hailo Dataflow Compiler takes and prove it computes "
         "the same function (imuwb convert --to hailo8)"));
}

void buildHelpMenu(QMainWindow& window) {
  auto* help = window.menuBar()->addMenu(tr("&Help"));
  auto* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), &window,
                                    [&window] { showShortcutsDialog(window); });
  shortcuts->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About"), &window, [&window] { AboutDialog(&window).exec(); });
}

}  // namespace

WorkbenchMenus buildWorkbenchMenus(QMainWindow& window, TimeAxisModel* axis,
                                   const WorkbenchDocks& docks, const MenuCommands& commands) {
  WorkbenchMenus menus;
  buildFileMenu(window, commands, menus);
  buildViewMenu(window, axis, docks, commands, menus);
  buildRunMenu(window, commands);
  buildToolsMenu(window, commands);
  buildHelpMenu(window);
  return menus;
}

}  // namespace imuwb::widgets
