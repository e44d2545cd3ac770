#include "TimeChartView.hpp"

#include <QChart>
#include <QContextMenuEvent>
#include <QEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QValueAxis>
#include <QXYSeries>
#include <algorithm>
#include <cmath>

#include "TimeAxisModel.hpp"
#include "TimeInteraction.hpp"
#include "ToolTip.hpp"
#include "ZoomPresets.hpp"

namespace imuwb::widgets {

namespace {
constexpr int kTopMargin = 8;  // room for the half of the top/bottom y labels
constexpr int kBottomMargin = 8;
}  // namespace

TimeChartView::TimeChartView(TimeAxisModel* axis, QWidget* parent)
    : QChartView(parent), axis_(axis) {
  auto* chart = new QChart();
  chart->setAnimationOptions(QChart::NoAnimation);  // animations make panning lag
  chart->legend()->hide();
  chart->setMargins(QMargins(0, 0, 0, 0));
  chart->setBackgroundRoundness(0);
  chart->setBackgroundVisible(false);  // drawBackground paints it, with the label bands
  chart->setPlotAreaBackgroundVisible(false);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing, false);
  setFrameShape(QFrame::NoFrame);
  setViewportUpdateMode(QGraphicsView::FullViewportUpdate);  // cursor moves across the plot
  setMinimumHeight(60);
  setFocusPolicy(Qt::StrongFocus);
  setRubberBand(QChartView::NoRubberBand);
  setDragMode(QGraphicsView::NoDrag);

  xAxis_ = new QValueAxis(this);
  xAxis_->setLabelsVisible(false);  // the ruler above the timeline shows clock time
  // The data layer draws the time grid, so Qt Charts' x axis only places series: two ticks keep
  // its per-change relayout (which measures every tick label, visible or not) cheap.
  xAxis_->setTickType(QValueAxis::TicksFixed);
  xAxis_->setTickCount(2);
  yAxis_ = new QValueAxis(this);
  yAxis_->setTickCount(3);
  yAxis_->setLabelFormat("%.3g");
  // drawValueLabels() writes the y values: Qt Charts hides colliding labels (a 60 px chart
  // kept only its middle one) and truncates long ones to "...", and relayouts on every change.
  yAxis_->setLabelsVisible(false);
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  for (auto* axis : {xAxis_, yAxis_}) {
    axis->setGridLineVisible(false);  // the data layer draws the grid (see PlotLayer.hpp)
    axis->setLineVisible(false);
  }
  connect(yAxis_, &QValueAxis::rangeChanged, this, [this] {
    if (!refreshing_) scheduleRefresh();  // a refresh that sets the range repaints anyway
  });
  applyPalette();

  interaction_ = new TimeInteraction(
      axis_,
      [this] {
        return std::pair{plotRect().left(), plotRect().width()};
      },
      this);
  viewport()->installEventFilter(interaction_);
  installEventFilter(interaction_);  // keys arrive at the view, mouse at the viewport
  viewport()->setMouseTracking(true);

  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(0);
  connect(&refreshTimer_, &QTimer::timeout, this, &TimeChartView::runRefresh);
  connect(axis_, &TimeAxisModel::viewChanged, this, [this] {
    applyView();
    scheduleRefresh();
  });
  connect(axis_, &TimeAxisModel::cursorChanged, viewport(), qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxisModel::selectionChanged, viewport(), qOverload<>(&QWidget::update));
  applyView();
}

void TimeChartView::setTitleText(const QString& title) {
  if (title == title_) return;
  const bool had = headerHeight() > 0;
  title_ = title;
  if (had != (headerHeight() > 0)) relayout();
  viewport()->update();
}

void TimeChartView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  viewport()->update();
}

void TimeChartView::setRowLabels(QStringList labels) {
  rowLabels_ = std::move(labels);
  viewport()->update();
}

void TimeChartView::setValueLabelsVisible(bool visible) {
  valueLabels_ = visible;
  viewport()->update();
}

void TimeChartView::setLegendEntries(QList<QPair<QString, QColor>> entries) {
  const bool had = headerHeight() > 0;
  legend_ = std::move(entries);
  if (had != (headerHeight() > 0)) relayout();
  viewport()->update();
}

QFont TimeChartView::legendFont() const {
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  return small;
}

int TimeChartView::headerHeight() const {
  if (title_.isEmpty() && legend_.isEmpty()) return 0;
  return QFontMetrics(legendFont()).height() + 3;
}

void TimeChartView::relayout() {
  chart()->setPlotArea(plotRect());
  scheduleRefresh();  // the plot's height changed
}

QRectF TimeChartView::legendRect() const {
  const int header = headerHeight();
  if (header == 0) return {};
  const QFontMetrics metrics(legendFont());
  double width = title_.isEmpty() ? 0 : metrics.horizontalAdvance(title_) + 10;
  for (const auto& entry : legend_) width += 13 + metrics.horizontalAdvance(entry.first) + 8;
  const auto plot = plotRect();
  return QRectF(plot.left(), 0, std::min(width, plot.width()), header);
}

void TimeChartView::setLabelBands(std::vector<TimeBand> labels, const ClassPalette* palette) {
  labels_ = std::move(labels);
  palette_ = palette;
  scheduleRefresh();
}

QRectF TimeChartView::plotRect() const {
  // The title and legend get a strip of their own above the plot: drawn over the data, they
  // hid the top of it (a probability of 1, the winning class, ran under the keys).
  const int top = std::max(kTopMargin, headerHeight() + 2);
  return QRectF(kPlotLeftMargin, top,
                std::max(1, viewport()->width() - kPlotLeftMargin - kPlotRightMargin),
                std::max(1, viewport()->height() - top - kBottomMargin));
}

TimeMapping TimeChartView::mapping() const {
  const auto r = plotRect();
  return TimeMapping{axis_->view(), r.left(), r.width()};
}

void TimeChartView::refreshNow() {
  refreshTimer_.stop();
  runRefresh();
}

void TimeChartView::runRefresh() {
  ++refreshCount_;
  refreshing_ = true;
  refreshData();
  refreshing_ = false;
  startLayer();
  viewport()->update();
}

std::vector<double> TimeChartView::yGridValues() const {
  std::vector<double> values;
  const double low = yAxis_->min(), high = yAxis_->max();
  if (!(high > low)) return values;
  constexpr int kMaxLines = 50;  // a mis-set interval must not draw a solid block
  if (yAxis_->tickType() == QValueAxis::TicksDynamic && yAxis_->tickInterval() > 0) {
    const double step = yAxis_->tickInterval(), anchor = yAxis_->tickAnchor();
    for (double v = anchor + std::ceil((low - anchor) / step) * step;
         v <= high + 1e-9 * step && values.size() < kMaxLines; v += step)
      values.push_back(v);
  } else {
    const int count = std::clamp(yAxis_->tickCount(), 2, kMaxLines);
    for (int k = 0; k < count; ++k) values.push_back(low + (high - low) * k / (count - 1));
  }
  return values;
}

void TimeChartView::startLayer() {
  const auto plot = plotRect();
  const auto map = mapping();
  const auto view = axis_->view();
  PlotLayerScene scene;
  scene.size = plot.size().toSize();
  scene.devicePixelRatio = viewport()->devicePixelRatioF();
  scene.base = palette().color(QPalette::Base);
  scene.grid = palette().color(QPalette::Text);
  scene.grid.setAlpha(40);
  scene.gridX.push_back(0);  // the left edge stands in for the y axis line
  for (double t : tickPositions(view, niceTickStep(view.length(), 8)))
    scene.gridX.push_back(map.toX(t) - plot.left());
  const double y0 = yAxis_->min(), ySpan = std::max(1e-12, yAxis_->max() - yAxis_->min());
  scene.yScale = -plot.height() / ySpan;
  scene.yOffset = plot.height() - y0 * scene.yScale;
  for (double v : yGridValues())
    scene.gridY.push_back(std::clamp(v * scene.yScale + scene.yOffset, 0.0, plot.height() - 1));
  scene.xScale = plot.width() / view.length();
  scene.xOffset = -view.start_s * scene.xScale;
  if (palette_ && !labels_.empty()) {
    // Labels are sorted by start: jump to the view. Zoomed out, a day holds thousands of
    // intervals; draw at most one per pixel column (the first that reaches it).
    auto it = std::lower_bound(labels_.begin(), labels_.end(), view.start_s,
                               [](const TimeBand& l, double t) { return l.end_s < t; });
    double lastPixel = -1;
    for (; it != labels_.end() && it->start_s <= view.end_s; ++it) {
      const double x0 = std::max(0.0, map.toX(it->start_s) - plot.left());
      const double x1 = std::min(plot.width(), map.toX(it->end_s) - plot.left());
      if (std::floor(x1) <= lastPixel) continue;
      lastPixel = std::floor(std::max(x1, x0 + 1));
      QColor color = palette_->color(it->label);
      color.setAlpha(38);
      scene.bands.push_back({x0, x1, color});
    }
  }
  scene.content = content_;  // implicitly shared lists and image: no deep copy
  layerView_ = view;
  layer_.start(std::move(scene));
}

void TimeChartView::scheduleRefresh() {
  if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void TimeChartView::attachSeries(QXYSeries* series, QColor color) {
  QPen pen(color);
  pen.setWidthF(1.0);
  pen.setCosmetic(true);
  series->setPen(pen);
  // Decimation keeps every series at <= 2 points per pixel column, which the raster engine
  // draws in well under a frame, and Qt Charts' OpenGL path paints series in an overlay above
  // our cursor and selection. So OpenGL is opt-in, for machines where raster is slow.
  if (qEnvironmentVariableIsSet("IMUWB_OPENGL")) series->setUseOpenGL(true);
  chart()->addSeries(series);
  series->attachAxis(xAxis_);
  series->attachAxis(yAxis_);
  applyView();
}

void TimeChartView::setTraces(std::vector<Trace> traces) {
  content_.traces = std::move(traces);  // painted by the layer that follows every refresh
}

void TimeChartView::setLayerContent(PlotLayerContent content) {
  content_ = std::move(content);
}

void TimeChartView::applyView() {
  // Only Qt Charts series use the x axis; views that paint everything into the data layer skip
  // the axis relayout on every pan step. attachSeries() brings the axis up to date.
  if (chart()->series().isEmpty()) return;
  const auto view = axis_->view();
  xAxis_->setRange(view.start_s, view.end_s);
}

void TimeChartView::applyPalette() {
  const QPalette pal = palette();
  const QColor text = pal.color(QPalette::Text);
  QColor grid = text;
  grid.setAlpha(40);
  for (auto* axis : {xAxis_, yAxis_}) {
    axis->setLabelsColor(text);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(grid);
  }
}

void TimeChartView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) {
    applyPalette();
    scheduleRefresh();
  }
  QChartView::changeEvent(event);
}

void TimeChartView::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  chart()->setPlotArea(plotRect());
  scheduleRefresh();  // the number of pixel columns changed
}

void TimeChartView::drawBackground(QPainter* painter, const QRectF& rect) {
  painter->fillRect(rect, palette().color(QPalette::Base));
  const QImage& layer = layer_.image();
  if (!layer.isNull()) painter->drawImage(plotRect().topLeft(), layer);
}

void TimeChartView::drawValueLabels(QPainter* painter, const QRectF& plot) const {
  const double low = yAxis_->min(), high = yAxis_->max();
  const auto values = yGridValues();
  if (values.empty() || !(high > low)) return;
  const QFontMetrics metrics(painter->font());
  const double half = metrics.height() / 2.0;
  // The extremes first, then the inner lines where they do not touch a label already drawn.
  std::vector<std::size_t> order = {0, values.size() - 1};
  for (std::size_t k = 1; k + 1 < values.size(); ++k) order.push_back(k);
  std::vector<std::pair<double, double>> taken;
  painter->setPen(palette().color(QPalette::Text));
  const QByteArray format = yAxis_->labelFormat().toLatin1();
  for (const std::size_t k : order) {
    const double y = plot.top() + (high - values[k]) / (high - low) * plot.height();
    const double top = std::clamp(y - half, 0.0, viewport()->height() - 2 * half);
    const bool clashes = std::any_of(taken.begin(), taken.end(), [&](const auto& range) {
      return top < range.second && top + 2 * half > range.first;
    });
    if (clashes) continue;
    taken.emplace_back(top, top + 2 * half);
    painter->drawText(QRectF(0, top, plot.left() - 5, 2 * half), Qt::AlignRight | Qt::AlignVCenter,
                      QString::asprintf(format.constData(), values[k]));
  }
}

void TimeChartView::drawForeground(QPainter* painter, const QRectF&) {
  const auto map = mapping();
  const auto plot = plotRect();
  const QColor highlight = palette().color(QPalette::Highlight);
  const auto selection = axis_->selection();
  if (selection.valid()) {
    QColor fill = highlight;
    fill.setAlpha(50);
    const double x0 = std::max(plot.left(), map.toX(selection.start_s));
    const double x1 = std::min(plot.right(), map.toX(selection.end_s));
    if (x1 > x0) painter->fillRect(QRectF(x0, plot.top(), x1 - x0, plot.height()), fill);
  }
  const double cursorX = map.toX(axis_->cursor());
  if (cursorX >= plot.left() && cursorX <= plot.right()) {
    // An opaque rectangle, not a 1.5 px pen: the raster engine fills it directly instead of
    // rasterising a stroke into spans (and splitting those across the thread pool).
    painter->fillRect(QRectF(std::floor(cursorX), plot.top(), 2, plot.height()), highlight);
  }
  if (!placeholder_.isEmpty()) {
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(plot, Qt::AlignCenter, placeholder_);
  }
  // Title and legend keys, in their strip above the plot.
  painter->setFont(legendFont());
  const QFontMetrics metrics(painter->font());
  if (valueLabels_ && rowLabels_.isEmpty()) drawValueLabels(painter, plot);
  if (!rowLabels_.isEmpty()) {
    const double rowHeight = plot.height() / rowLabels_.size();
    // Rows shorter than the text: label every few rows rather than overprint them.
    const auto every = static_cast<qsizetype>(std::ceil(metrics.height() / rowHeight));
    painter->setPen(palette().color(QPalette::Text));
    for (qsizetype r = 0; r < rowLabels_.size(); r += every)
      painter->drawText(QRectF(2, plot.top() + r * rowHeight, plot.left() - 6, rowHeight),
                        Qt::AlignRight | Qt::AlignVCenter, rowLabels_[r]);
  }
  drawLegend(painter);
}

void TimeChartView::drawLegend(QPainter* painter) const {
  const QRectF strip = legendRect();
  if (strip.isEmpty()) return;
  const QFontMetrics metrics(painter->font());
  const double right = plotRect().right();
  const double baseline = strip.top() + metrics.ascent() + 1;
  double x = strip.left();
  const QColor text = palette().color(QPalette::Text);
  painter->setPen(text);
  if (!title_.isEmpty()) {
    painter->drawText(QPointF(x, baseline),
                      metrics.elidedText(title_, Qt::ElideRight, static_cast<int>(right - x)));
    x += metrics.horizontalAdvance(title_) + 10;
  }
  for (const auto& [name, color] : legend_) {
    const double width = 13 + metrics.horizontalAdvance(name);
    if (x + width > right) {  // no room for the rest: say so rather than overprint the plot
      if (x + metrics.horizontalAdvance(QStringLiteral("…")) <= right)
        painter->drawText(QPointF(x, baseline), QStringLiteral("…"));
      break;
    }
    painter->fillRect(QRectF(x, baseline - metrics.ascent() / 2.0 - 1, 10, 3), color);
    painter->setPen(text);
    painter->drawText(QPointF(x + 13, baseline), name);
    x += width + 8;
  }
}

QString TimeChartView::describeAt(QPointF) const {
  return {};
}

bool TimeChartView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = describeAt(help->pos());
    if (!text.isEmpty()) {
      answerToolTip(*help, text, this);
      return true;
    }
  }
  return QChartView::viewportEvent(event);
}

void TimeChartView::fillContextMenu(QMenu&) {}

void TimeChartView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  fillContextMenu(menu);
  if (!menu.isEmpty()) menu.addSeparator();
  addZoomActions(&menu, axis_, &menu, false);
  menu.exec(event->globalPos());
}

}  // namespace imuwb::widgets
