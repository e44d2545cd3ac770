// Text is readable in both themes. Before, the dark theme left the placeholder text at Qt's
// default (dark grey at half alpha on a near-black base: nearly invisible), and white on the
// selection highlight fell short in both themes. For every text role over the background it is
// drawn on, the WCAG 2 contrast ratio (relative luminance of sRGB, a translucent colour first
// composited over its background) must be at least 4.5:1, in the light and the dark theme.
#include <QApplication>
#include <QPalette>
#include <QTest>
#include <cmath>

#include "Theme.hpp"

using namespace imuwb::widgets;

namespace {

double channel(double c) {  // sRGB to linear, WCAG 2.x
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(QColor c) {
  return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor over(QColor top, QColor bottom) {
  const double a = top.alphaF();
  return QColor::fromRgbF(static_cast<float>(top.redF() * a + bottom.redF() * (1 - a)),
                          static_cast<float>(top.greenF() * a + bottom.greenF() * (1 - a)),
                          static_cast<float>(top.blueF() * a + bottom.blueF() * (1 - a)));
}

double contrast(QColor text, QColor background) {
  const double l1 = luminance(over(text, background)), l2 = luminance(background);
  return (std::max(l1, l2) + 0.05) / (std::min(l1, l2) + 0.05);
}

}  // namespace

class ThemeContrastTest : public QObject {
  Q_OBJECT
 private slots:
  void ratioMatchesTheDefinition() {  // black on white is 21:1, a colour on itself 1:1
    QVERIFY(std::abs(contrast(Qt::black, Qt::white) - 21.0) < 1e-9);
    QVERIFY(std::abs(contrast(QColor(0x767676), Qt::white) - 4.54) < 0.01);
    QCOMPARE(contrast(QColor(0x336699), QColor(0x336699)), 1.0);
  }

  void textRolesReadable_data() {
    QTest::addColumn<int>("theme");
    QTest::newRow("light") << int(Theme::Light);
    QTest::newRow("dark") << int(Theme::Dark);
  }
  void textRolesReadable() {
    QFETCH(int, theme);
    applyApplicationTheme(static_cast<Theme>(theme));
    const QPalette p = QApplication::palette();
    const std::pair<QPalette::ColorRole, QPalette::ColorRole> pairs[] = {
        {QPalette::Text, QPalette::Base},
        {QPalette::Text, QPalette::AlternateBase},
        {QPalette::WindowText, QPalette::Window},
        {QPalette::ButtonText, QPalette::Button},
        {QPalette::ToolTipText, QPalette::ToolTipBase},
        {QPalette::HighlightedText, QPalette::Highlight},
        {QPalette::PlaceholderText, QPalette::Base},
        {QPalette::Link, QPalette::Base},
    };
    for (const auto& [text, background] : pairs) {
      const double ratio =
          contrast(p.color(QPalette::Active, text), p.color(QPalette::Active, background));
      QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("role %1 on %2: %3:1")
                                            .arg(int(text))
                                            .arg(int(background))
                                            .arg(ratio, 0, 'f', 2)));
    }
    // The parity table's pass/FAIL verdicts (fixed colours before: pass was 3.4:1 on white).
    for (const bool passed : {true, false})
      for (const auto background : {QPalette::Base, QPalette::AlternateBase}) {
        const QColor base = p.color(QPalette::Active, background);
        const double ratio = contrast(verdictColour(passed, base), base);
        QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("verdict %1 on %2: %3:1")
                                              .arg(passed ? "pass" : "FAIL")
                                              .arg(int(background))
                                              .arg(ratio, 0, 'f', 2)));
      }
  }
};

QTEST_MAIN(ThemeContrastTest)
#include "ThemeContrastTest.moc"
