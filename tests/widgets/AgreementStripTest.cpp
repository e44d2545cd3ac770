// The agreement strip paints what its bands say: each pixel column takes the colour of the
// band over it, a column holding any disagreement is red however many agreeing bands share it
// (zoomed out, a single wrong window must not hide), unlabelled time stays blank, and a band
// outside the view is not painted. Expected colours come from the strip's own scale
// (colour(state, level), compared as 8-bit RGB); positions from the time mapping computed here.
#include <QImage>
#include <QTest>

#include "AgreementStrip.hpp"
#include "PlotGeometry.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb::widgets;
using State = AgreementBand::State;

class AgreementStripTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { imuwb::testing::isolateSettings(); }

  void columnsShowTheirBands() {
    TimeAxisModel axis;
    axis.setExtent({0, 1000});
    axis.setView({0, 100});
    axis.setCursor(999);  // out of view: no cursor line over the bands
    AgreementStrip strip(&axis);
    strip.resize(kPlotLeftMargin + kPlotRightMargin + 500, 18);  // 5 px per second
    strip.setBands({{0, 20, State::Agrees, 3},
                    {20, 40, State::Disagrees, 1},
                    {40, 60, State::Unlabelled, 0},
                    {60, 80, State::Agrees, 0},
                    {150, 200, State::Disagrees, 3}},
                   4);
    QVERIFY(!strip.isHidden());
    const QImage image = strip.grab().toImage();
    const int y = image.height() / 2;
    auto at = [&](double t) { return image.pixel(kPlotLeftMargin + int(t * 5), y); };
    QCOMPARE(at(10), strip.colour(State::Agrees, 3).rgb());
    QCOMPARE(at(30), strip.colour(State::Disagrees, 1).rgb());
    QCOMPARE(at(50), strip.palette().color(QPalette::AlternateBase).rgb());
    QCOMPARE(at(70), strip.colour(State::Agrees, 0).rgb());
    QCOMPARE(at(90), strip.palette().color(QPalette::AlternateBase).rgb());
    QVERIFY(strip.colour(State::Agrees, 3) != strip.colour(State::Agrees, 0));
    QVERIFY(strip.colour(State::Disagrees, 1) != strip.colour(State::Agrees, 1));
  }

  void aSingleDisagreementWinsItsColumn() {
    // A day in 500 px: 173 s per column. Agreeing half-second bands everywhere except one.
    TimeAxisModel axis;
    axis.setExtent({0, 86400});
    axis.showAll();
    axis.setCursor(86400);
    AgreementStrip strip(&axis);
    strip.resize(kPlotLeftMargin + kPlotRightMargin + 500, 18);
    std::vector<AgreementBand> bands;
    const double wrong = 43210.0;
    for (double t = 0; t < 86400; t += 0.5)
      bands.push_back({t, t + 0.5, t == wrong ? State::Disagrees : State::Agrees, 2});
    strip.setBands(std::move(bands), 4);
    const QImage image = strip.grab().toImage();
    const int column = int((wrong + 0.25) / 86400 * 500);
    QCOMPARE(image.pixel(kPlotLeftMargin + column, 9), strip.colour(State::Disagrees, 2).rgb());
    QCOMPARE(image.pixel(kPlotLeftMargin + column + 3, 9), strip.colour(State::Agrees, 2).rgb());
    QCOMPARE(image.pixel(kPlotLeftMargin + column - 3, 9), strip.colour(State::Agrees, 2).rgb());
  }

  void noBandsHidesTheStrip() {
    TimeAxisModel axis;
    AgreementStrip strip(&axis);
    strip.setBands({{0, 1, State::Agrees, 0}}, 4);
    QVERIFY(!strip.isHidden());
    strip.setBands({}, 4);
    QVERIFY(strip.isHidden());
  }
};

QTEST_MAIN(AgreementStripTest)
#include "AgreementStripTest.moc"
