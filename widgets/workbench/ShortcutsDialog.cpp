#include "ShortcutsDialog.hpp"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QKeySequence>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStringList>
#include <QVBoxLayout>
#include <QWidget>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return workbenchTr(text);
}

QString row(const QString& keys, const QString& what) {
  return QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
      .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
}

}  // namespace

QList<QAction*> actionsWithShortcuts(const QWidget& window) {
  QList<QAction*> found;
  for (auto* action : window.findChildren<QAction*>())
    if (!action->shortcuts().isEmpty() && !found.contains(action)) found << action;
  return found;
}

QString plainActionName(const QAction& action) {
  QString name = action.text().section('\t', 0, 0);
  name.remove(QRegularExpression(QStringLiteral("&(?!&)")));
  name.replace(QStringLiteral("&&"), QStringLiteral("&"));
  if (name.endsWith(QStringLiteral("…"))) name.chop(1);
  if (name.endsWith(QStringLiteral("..."))) name.chop(3);
  return name.trimmed();
}

QString shortcutsTable(const QWidget& window) {
  QString html = QStringLiteral("<table>");
  for (auto* action : actionsWithShortcuts(window)) {
    QStringList keys;
    for (const auto& key : action->shortcuts()) keys << key.toString(QKeySequence::NativeText);
    html += row(keys.join(QStringLiteral(", ")), plainActionName(*action));
  }
  html += QStringLiteral("<tr><td colspan=2><br><b>%1</b></td></tr>").arg(tr("On a chart"));
  html += row(tr("Wheel, +/-"), tr("zoom around the pointer / the centre"));
  html += row(tr("Drag, Shift+wheel, Left/Right"), tr("pan"));
  html += row(tr("Click"), tr("set the cursor"));
  html += row(tr("Shift+drag"), tr("select a range"));
  html += row(tr("Double-click"), tr("zoom to the selection, or show all"));
  html += row(tr("Home"), tr("show everything"));
  html += row(tr("Esc"), tr("clear the selection"));
  html += row(tr("Hover"), tr("time and values under the pointer"));
  html += row(tr("Right-click"), tr("chart style and zoom presets"));
  html += QStringLiteral("<tr><td colspan=2><br><b>%1</b></td></tr>").arg(tr("On the labels row"));
  html += row(tr("Click"), tr("select the interval (and put the cursor there)"));
  html += row(tr("Drag an edge"), tr("move it, snapping to samples (one undo step)"));
  html += row(tr("Drag on an empty stretch"), tr("create an interval of the highlighted class"));
  html += row(tr("Esc while dragging"), tr("put it back"));
  return html + QStringLiteral("</table>");
}

void showShortcutsDialog(QWidget& window) {
  QDialog dialog(&window);
  dialog.setWindowTitle(tr("Keyboard shortcuts"));
  auto* label = new QLabel(shortcutsTable(window));
  label->setTextFormat(Qt::RichText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* scroll = new QScrollArea(&dialog);
  scroll->setWidget(label);
  scroll->setWidgetResizable(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
  QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  auto* layout = new QVBoxLayout(&dialog);
  layout->addWidget(scroll);
  layout->addWidget(buttons);
  dialog.resize(520, 560);
  dialog.exec();
}

}  // namespace imuwb::widgets
