#include "LabelEditShot.hpp"

#include <QDockWidget>
#include <QLineEdit>
#include <cstdio>

#include "LabelEditController.hpp"
#include "LabelEditPanel.hpp"
#include "LabelSaveController.hpp"
#include "MainWindow.hpp"

void addLabelEditShotOptions(QCommandLineParser& args) {
  args.addOption({"label-edit",
                  "with --screenshot: a label review in progress (the interval at the middle of "
                  "--range selected, with a note; the Labels dock raised)"});
}

bool prepareLabelEditShot(imuwb::widgets::MainWindow& window, const QCommandLineParser& args) {
  auto* edits = window.labelEditor();
  window.labelSaving()->setAutosave(false);
  if (!edits->hasDocument()) {
    std::fprintf(stderr, "imuwb-gui: --label-edit needs a session\n");
    return false;
  }
  const auto parts = args.value("range").split(':');
  const double middle = parts.size() == 2 ? (parts[0].toDouble() + parts[1].toDouble()) / 2 : 0.0;
  const long index = imuwb::intervalAt(edits->labels(), middle);
  if (index < 0) {
    std::fprintf(stderr, "imuwb-gui: no label interval at %.2f s (the middle of --range)\n",
                 middle);
    return false;
  }
  edits->select(static_cast<int>(index));
  edits->setSelectedNote("ambiguous: sniffing while standing?");
  const auto& classes = edits->labels().classes;
  const auto& label = edits->labels().intervals[static_cast<std::size_t>(index)].label;
  for (std::size_t k = 0; k + 1 < classes.size(); ++k)
    if (classes[k] == label) edits->setActiveClass(classes[k + 1]);
  if (auto* dock = window.findChild<QDockWidget*>("dock.labels")) {
    dock->show();
    dock->raise();
  }
  window.labelPanel()->findEdit()->setText("ambig");
  window.labelPanel()->refresh();
  return true;
}
