#include "RecentFiles.hpp"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <utility>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {
constexpr int kMaxRecent = 10;
constexpr auto kRecentKey = "recentFiles";
}  // namespace

RecentFiles::RecentFiles(QMenu* menu, OpenFunction open) : menu_(menu), open_(std::move(open)) {}

void RecentFiles::add(const QString& path) {
  QSettings settings;
  auto recent = settings.value(kRecentKey).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue(kRecentKey, recent);
  rebuild();
}

QStringList RecentFiles::paths() {
  return QSettings().value(kRecentKey).toStringList();
}

void RecentFiles::rebuild() {
  menu_->clear();
  const auto recent = QSettings().value(kRecentKey).toStringList();
  for (const auto& path : recent)
    menu_->addAction(QFileInfo(path).fileName(), menu_, [open = open_, path] { open(path); })
        ->setToolTip(path);
  menu_->setEnabled(!recent.isEmpty());
  if (!recent.isEmpty()) {
    menu_->addSeparator();
    menu_->addAction(workbenchTr("Clear"), menu_, [this] {
      QSettings().remove(kRecentKey);
      rebuild();
    });
  }
}

}  // namespace imuwb::widgets
