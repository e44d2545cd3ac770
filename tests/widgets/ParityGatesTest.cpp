// Each output's gate is drawn and each verdict explained. Before, the cosine chart drew one
// tolerance line for outputs gated differently, and motif_scores dipped to 0.78, far below it,
// yet passed with nothing saying why. Now every output has its own dashed line at its own
// tolerance (in its colour), the lines are labelled with what they gate (the cosine mean) and
// which outputs, and each verdict's reason (every check: value, comparison, threshold; a dip
// below the line on a passing output) is written under the table and in the verdict's tooltip.
#include <QLabel>
#include <QTableWidget>
#include <QTest>

#include "ParityCosineChart.hpp"
#include "ParityTestSupport.hpp"
#include "ParityView.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class ParityGatesTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void everyOutputHasItsOwnGate() {
    const auto result = testing::dippingParity();
    TimeAxisModel axis;
    axis.setExtent({0, 201});
    ParityView view(&axis);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(result);
    view.refreshNow();
    const auto& guides = view.cosineChart()->layerContent().guides;
    QCOMPARE(guides.size(), result->outputs.size());
    for (std::size_t o = 0; o < guides.size(); ++o)
      QCOMPARE(guides[o].value, result->outputs[o].tolerance.minCosine);
    // Two distinct gates (0.95 for two outputs, 0.97 for the third): two labels naming them.
    const auto labels = static_cast<ParityCosineChart*>(view.cosineChart())->toleranceLabels();
    QCOMPARE(labels.size(), 2);
    QVERIFY2(labels[0].contains("0.970") && labels[0].contains("latent_embeddings"),
             qPrintable(labels[0]));
    QVERIFY2(labels[1].contains("0.950") && labels[1].contains("behavior_logits") &&
                 labels[1].contains("motif_scores") && labels[1].contains("mean"),
             qPrintable(labels[1]));
  }

  void everyVerdictSaysWhy() {
    const auto result = testing::dippingParity();
    TimeAxisModel axis;
    axis.setExtent({0, 201});
    ParityView view(&axis);
    view.setResult(result);
    const QString shown = view.reasonsLabel()->text();
    for (int o = 0; o < static_cast<int>(result->outputs.size()); ++o) {
      const auto& out = result->outputs[static_cast<std::size_t>(o)];
      const QString reason = view.verdictReason(o);
      // Core's checks, with the value and threshold (computed by the test support's brute force
      // and core's applyTolerance), are named.
      for (const auto& check : out.checks)
        QVERIFY2(reason.contains(QString::number(check.value, 'f', 4)) &&
                     reason.contains(QString::number(check.threshold, 'f', 4)),
                 qPrintable(reason));
      QVERIFY(reason.contains(out.passed ? "pass" : "FAIL"));
      QVERIFY2(shown.contains(reason.toHtmlEscaped()), qPrintable(shown));
      QCOMPARE(view.table()->item(o, ParityView::Verdict)->toolTip(), reason);
    }
    // motif_scores dips below its gate and passes: the reason says the gate is on the mean.
    const auto& motifs = result->outputs[1];
    QVERIFY(motifs.passed && motifs.cosineMin < motifs.tolerance.minCosine);
    const QString reason = view.verdictReason(1);
    QVERIFY2(reason.contains("0.7800") && reason.contains("only the mean is gated"),
             qPrintable(reason));
    QVERIFY(!view.verdictReason(0).contains("only the mean"));  // no dip, nothing to explain
  }
};

QTEST_MAIN(ParityGatesTest)
#include "ParityGatesTest.moc"
