#include "OpenRouting.hpp"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace imuwb::widgets {

bool isLabelCsv(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return false;
  QString header;
  while (!file.atEnd() && header.trimmed().isEmpty())
    header = QString::fromUtf8(file.readLine(4096));
  QStringList fields;
  for (QString field : header.trimmed().split(',')) {
    field = field.trimmed().toLower();
    if (field.size() >= 2 && field.startsWith('"') && field.endsWith('"'))
      field = field.mid(1, field.size() - 2);
    fields << field;
  }
  return fields == QStringList{"start", "end", "label"};
}

OpenKind classifyOpenPath(const QString& path) {
  const QFileInfo info(path);
  if (info.isDir()) return OpenKind::Model;  // the loader says why when it is not a bundle
  const QString suffix = info.suffix().toLower();
  if (suffix == "onnx") return OpenKind::Model;
  if (suffix == "json") return OpenKind::ModelOrWindow;
  if (suffix == "npy") return OpenKind::Calibration;
  if (suffix == "csv" && isLabelCsv(path)) return OpenKind::Labels;
  return OpenKind::Recording;
}

}  // namespace imuwb::widgets
