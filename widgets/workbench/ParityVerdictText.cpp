#include "ParityVerdictText.hpp"

#include <QCoreApplication>
#include <QStringList>
#include <cmath>

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("ParityView", text);
}

QString metricName(const std::string& metric) {
  if (metric == "cosine_mean") return tr("cosine mean");
  if (metric == "cosine_p5") return tr("cosine p5");
  if (metric == "snr_db") return tr("SNR dB");
  if (metric == "top1_agreement") return tr("top-1 agreement");
  return QString::fromStdString(metric);
}

}  // namespace

QString parityVerdictReason(const analysis::OutputParity& o) {
  QStringList checks;
  for (const auto& c : o.checks)
    checks << QStringLiteral("%1 %2 %3 %4")
                  .arg(metricName(c.metric))
                  .arg(c.value, 0, 'f', 4)
                  .arg(c.passed ? QStringLiteral("≥") : QStringLiteral("<"))
                  .arg(c.threshold, 0, 'f', 4);
  QString text = QStringLiteral("%1 — %2: %3")
                     .arg(QString::fromStdString(o.output), o.passed ? tr("pass") : tr("FAIL"),
                          checks.isEmpty() ? tr("no checks") : checks.join(QStringLiteral(", ")));
  if (!o.tolerance.source.empty())
    text += QStringLiteral(" (%1)").arg(QString::fromStdString(o.tolerance.source));
  if (o.cosineMin < o.tolerance.minCosine)
    text += tr("; its lowest window, %1, is below the line: only the mean is gated")
                .arg(o.cosineMin, 0, 'f', 4);
  return text;
}

}  // namespace imuwb::widgets
