#include "WorkbenchMessage.hpp"

#include <QCoreApplication>
#include <QRegularExpression>
#include <utility>
#include <vector>

#include "CalibrationChoice.hpp"

namespace imuwb::widgets {

namespace {
QString tr(const char* text) {
  return QCoreApplication::translate("WorkbenchMessage", text);
}
}  // namespace

QString guiWording(const QString& text) {
  QString out = text;
  // A whole fix about int8's quantization becomes the one GUI action that sets it.
  static const QRegularExpression int8Fix(
      QStringLiteral("(pass|give)[^\\n]*(--calib|--quant-params)[^\\n]*"));
  out.replace(int8Fix, tr("choose a calibration set in %1").arg(calibrationAction()));
  const std::vector<std::pair<QString, QString>> flags = {
      {QStringLiteral("--calib"), calibrationAction()},
      {QStringLiteral("--quant-params"), calibrationAction()},
      {QStringLiteral("`imuwb calib-export`"), tr("Tools ▸ Export Calibration Set…")},
      {QStringLiteral("imuwb calib-export"), tr("Tools ▸ Export Calibration Set…")},
      {QStringLiteral("--stride"), tr("the run panel's Stride")},
      {QStringLiteral("`imuwb info`"), tr("the session browser's findings")},
  };
  for (const auto& [flag, action] : flags) out.replace(flag, action);
  return out;
}

WorkbenchMessage parseWorkbenchMessage(Severity severity, const QString& context,
                                       const QString& text) {
  WorkbenchMessage message;
  message.severity = severity;
  message.context = context;
  message.time = QDateTime::currentDateTime();
  const QString wording = guiWording(text.trimmed());
  const qsizetype fixAt = wording.indexOf(QStringLiteral("\n  fix: "));
  QString head = fixAt >= 0 ? wording.left(fixAt) : wording;
  if (fixAt >= 0) message.fix = wording.mid(fixAt + 8).trimmed();
  // "where: problem": a place is a file or a short name ("s.h5:/devices/collar", "int8 backend"),
  // never a sentence ("int8 needs a calibration set: choose one…" is all problem).
  const qsizetype colon = head.indexOf(QStringLiteral(": "));
  const QString prefix = colon > 0 ? head.left(colon) : QString();
  const bool place = colon > 0 && !prefix.contains('\n') &&
                     (prefix.contains('/') || prefix.contains('.') || prefix.count(' ') < 2);
  if (place) {
    message.where = head.left(colon);
    message.problem = head.mid(colon + 2).trimmed();
  } else {
    message.problem = head;
  }
  return message;
}

QString WorkbenchMessage::shortText(int maxChars) const {
  QString text = context.isEmpty() ? problem : context + QStringLiteral(": ") + problem;
  text.replace('\n', ' ');
  if (text.size() > maxChars) text = text.left(maxChars - 1) + QChar(0x2026);
  return text;
}

QString WorkbenchMessage::fullText() const {
  QString text = where.isEmpty() ? problem : where + QStringLiteral(": ") + problem;
  if (!fix.isEmpty()) text += tr("\nfix: %1").arg(fix);
  return text;
}

}  // namespace imuwb::widgets
