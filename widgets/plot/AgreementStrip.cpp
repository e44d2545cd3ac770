#include "AgreementStrip.hpp"

#include <QHelpEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "TimeAxisModel.hpp"
#include "TimeInteraction.hpp"
#include "ToolTip.hpp"

namespace imuwb::widgets {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Which band a pixel column shows: a disagreement over an agreement over nothing; among
// disagreements the most confident, among agreements the least confident (what to look at).
int rank(const AgreementBand& band, int levels) {
  switch (band.state) {
    case AgreementBand::State::Disagrees:
      return 2 * levels + band.level;
    case AgreementBand::State::Agrees:
      return levels + (levels - 1 - band.level);
    case AgreementBand::State::Unlabelled:
      break;
  }
  return -1;
}

}  // namespace

AgreementStrip::AgreementStrip(TimeAxisModel* axis, QWidget* parent)
    : QWidget(parent), axis_(axis) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setMouseTracking(true);
  auto* interaction = new TimeInteraction(
      axis_, [this] { return std::pair<double, double>(mapping().left, mapping().width); }, this);
  installEventFilter(interaction);
  connect(axis_, &TimeAxisModel::viewChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxisModel::cursorChanged, this, qOverload<>(&QWidget::update));
  setToolTip(
      tr("Prediction against label: green agrees, red disagrees; stronger = more "
         "confident"));
  setVisible(false);
}

void AgreementStrip::setBands(std::vector<AgreementBand> bands, int levels) {
  bands_ = std::move(bands);
  levels_ = std::max(1, levels);
  setVisible(!bands_.empty());
  update();
}

void AgreementStrip::setHighlight(TimeRange range) {
  highlight_ = range;
  update();
}

TimeMapping AgreementStrip::mapping() const {
  return TimeMapping{axis_->view(), double(kPlotLeftMargin),
                     double(std::max(1, width() - kPlotLeftMargin - kPlotRightMargin))};
}

QColor AgreementStrip::colour(AgreementBand::State state, int level) const {
  const QColor base = palette().color(QPalette::AlternateBase);
  const double strength = 0.25 + 0.75 * (level + 1) / levels_;
  if (state == AgreementBand::State::Agrees) return mix(base, QColor(0x1a9850), strength);
  if (state == AgreementBand::State::Disagrees) return mix(base, QColor(0xd73027), strength);
  return base;
}

void AgreementStrip::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Window));
  const auto map = mapping();
  const auto view = axis_->view();
  const QRectF row(map.left, 1, map.width, height() - 2);
  painter.fillRect(row, palette().color(QPalette::AlternateBase));
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  painter.setFont(small);
  painter.setPen(palette().color(QPalette::Text));
  painter.drawText(QRectF(0, 0, kPlotLeftMargin - 4, height()), Qt::AlignRight | Qt::AlignVCenter,
                   tr("agreement"));
  // One rank per pixel column from the bands in view, then one fill per run of equal columns.
  const int columns = static_cast<int>(std::ceil(map.width));
  std::vector<int> shown(static_cast<std::size_t>(columns), -1);
  auto it = std::lower_bound(bands_.begin(), bands_.end(), view.start_s,
                             [](const AgreementBand& b, double t) { return b.end_s <= t; });
  for (; it != bands_.end() && it->start_s < view.end_s; ++it) {
    const int r = rank(*it, levels_);
    if (r < 0) continue;
    const int c0 = std::max(0, static_cast<int>(std::floor(map.toX(it->start_s) - map.left)));
    const int c1 =
        std::min(columns - 1, static_cast<int>(std::ceil(map.toX(it->end_s) - map.left)) - 1);
    for (int c = c0; c <= std::max(c0, c1) && c < columns; ++c)
      shown[static_cast<std::size_t>(c)] = std::max(shown[static_cast<std::size_t>(c)], r);
  }
  for (int c = 0; c < columns;) {
    int end = c + 1;
    while (end < columns &&
           shown[static_cast<std::size_t>(end)] == shown[static_cast<std::size_t>(c)])
      ++end;
    const int r = shown[static_cast<std::size_t>(c)];
    if (r >= 0) {
      const bool disagrees = r >= 2 * levels_;
      const int level = disagrees ? r - 2 * levels_ : levels_ - 1 - (r - levels_);
      painter.fillRect(
          QRectF(map.left + c, row.top(), end - c, row.height()),
          colour(disagrees ? AgreementBand::State::Disagrees : AgreementBand::State::Agrees,
                 level));
    }
    c = end;
  }
  const QColor highlight = palette().color(QPalette::Highlight);
  if (highlight_.valid()) {
    const double x0 = std::max(map.left, map.toX(highlight_.start_s));
    const double x1 = std::min(map.left + map.width, map.toX(highlight_.end_s));
    if (x1 >= x0) {
      painter.setPen(QPen(highlight, 2));
      painter.drawRect(QRectF(x0, row.top() + 1, std::max(2.0, x1 - x0), row.height() - 2));
    }
  }
  const double cx = map.toX(axis_->cursor());
  if (cx >= map.left && cx <= map.left + map.width) {
    painter.setPen(QPen(highlight, 1.5));
    painter.drawLine(QPointF(cx, 0), QPointF(cx, height()));
  }
}

QString AgreementStrip::describeAt(QPoint position) const {
  const double t = mapping().toTime(position.x());
  const auto it = std::lower_bound(bands_.begin(), bands_.end(), t,
                                   [](const AgreementBand& b, double v) { return b.end_s <= v; });
  if (it == bands_.end() || t < it->start_s || it->state == AgreementBand::State::Unlabelled)
    return {};
  const int lo = 100 * it->level / levels_, hi = 100 * (it->level + 1) / levels_;
  return tr("%1, confidence %2–%3 % (%4 – %5)")
      .arg(it->state == AgreementBand::State::Agrees ? tr("agrees with the label")
                                                     : tr("disagrees with the label"))
      .arg(lo)
      .arg(hi)
      .arg(formatTime(it->start_s, 0.1), formatTime(it->end_s, 0.1));
}

bool AgreementStrip::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    answerToolTip(*help, describeAt(help->pos()), this);
    return true;
  }
  return QWidget::event(event);
}

}  // namespace imuwb::widgets
