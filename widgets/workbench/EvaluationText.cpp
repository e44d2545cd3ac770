#include "EvaluationText.hpp"

#include <QObject>
#include <QStringList>

#include "PlotGeometry.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return QObject::tr(text);
}

QString percent(double value) {
  return QString::number(value * 100, 'f', 1) + QStringLiteral(" %");
}

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

QString sideRow(const eval::SideEvaluation& side) {
  const auto& d = side.decisions;
  QStringList coverage;
  for (const auto& c : side.conformal)
    coverage << QStringLiteral("%1 %2 (mean set %3)")
                    .arg(QString::fromLatin1(eval::conformalScoreName(c.score)).toUpper(),
                         percent(c.coverage))
                    .arg(c.averageSetSize, 0, 'f', 2);
  return QStringLiteral(
             "<tr><td><b>%1</b> (%2)</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td>"
             "<td>%7</td></tr>")
      .arg(qstr(side.backend).toHtmlEscaped(), qstr(side.precision).toHtmlEscaped(),
           percent(d.accuracy), percent(d.balancedAccuracy))
      .arg(d.macroF1, 0, 'f', 3)
      .arg(d.kappa, 0, 'f', 3)
      .arg(coverage.join(QStringLiteral("; ")));
}

QString countsLine(const eval::EvaluationResult& r) {
  const auto& c = r.counts;
  QString line =
      tr("<b>%1</b> windows: %2 labelled (%3 calibrate, %4 test). Excluded: <b>%5</b> "
         "unlabelled, <b>%6</b> of a class the model lacks; never windows: <b>%7</b> straddling "
         "a time gap, <b>%8</b> with NaN/Inf. <b>%9</b> labelled windows straddle a label "
         "boundary (kept, with the rule's label).")
          .arg(c.windows)
          .arg(c.labelled)
          .arg(c.calibration)
          .arg(c.test)
          .arg(c.unlabelled)
          .arg(c.unknownClass)
          .arg(c.skippedGap)
          .arg(c.skippedNan)
          .arg(c.mixedLabels);
  if (!c.unknownClasses.empty()) {
    QStringList names;
    for (const auto& n : c.unknownClasses) names << qstr(n).toHtmlEscaped();
    line += tr(" Classes the model lacks: %1.").arg(names.join(QStringLiteral(", ")));
  }
  return line;
}

}  // namespace

QString windowTimeText(double start_s) {
  return formatTime(start_s, 0.1);
}

QString evaluationSummaryHtml(const eval::EvaluationResult& r) {
  QString html = QStringLiteral(
                     "<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">%1</th>"
                     "<th>%2</th><th>%3</th><th>%4</th><th>%5</th><th align=\"left\">%6</th></tr>")
                     .arg(tr("backend"), tr("accuracy"), tr("balanced acc."), tr("macro F1"),
                          tr("kappa"), tr("conformal coverage (alpha = %1)"))
                     .arg(r.settings.alpha);
  for (const auto& side : r.sides) html += sideRow(side);
  html += QStringLiteral("</table><p>") + countsLine(r) + QStringLiteral("</p>");
  if (r.comparison)
    html += tr("<p>%1 of %2 windows flipped between the backends (agreement %3).</p>")
                .arg(r.comparison->flips)
                .arg(r.comparison->windows)
                .arg(percent(r.comparison->agreement));
  return html;
}

QString calibrationSummaryHtml(const eval::SideEvaluation& side) {
  const auto& c = side.calibration;
  return tr("<b>%1</b>: ECE %2 over every labelled window.<br>Test split: ECE <b>%3 → %4</b>, "
            "NLL <b>%5 → %6</b> after temperature scaling with <b>T = %7</b>%8 (fitted on the "
            "calibration split).")
      .arg(qstr(side.backend).toHtmlEscaped())
      .arg(c.all.ece, 0, 'f', 4)
      .arg(c.testBefore.ece, 0, 'f', 4)
      .arg(c.testAfter.ece, 0, 'f', 4)
      .arg(c.nllTestBefore, 0, 'f', 4)
      .arg(c.nllTestAfter, 0, 'f', 4)
      .arg(c.temperature.temperature, 0, 'f', 3)
      .arg(c.temperature.atBound ? tr(" (at the search bound)") : QString());
}

}  // namespace imuwb::widgets
