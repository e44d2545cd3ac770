#pragma once
// File > Recent Files: the last files opened (QSettings "recentFiles", newest first, at most
// ten), each entry opening its file again, and a Clear entry.
#include <QString>
#include <QStringList>
#include <functional>

QT_BEGIN_NAMESPACE
class QMenu;
QT_END_NAMESPACE

namespace imuwb::widgets {

class RecentFiles {
 public:
  using OpenFunction = std::function<void(const QString& path)>;
  // menu is the (owned elsewhere) submenu to fill; open is called with an entry's path.
  RecentFiles(QMenu* menu, OpenFunction open);

  void add(const QString& path);  // moves path to the top, drops the oldest beyond ten
  void rebuild();                 // refills the menu from the settings
  static QStringList paths();     // newest first

 private:
  QMenu* menu_;
  OpenFunction open_;
};

}  // namespace imuwb::widgets
