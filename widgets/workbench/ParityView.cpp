#include "ParityView.hpp"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChartView>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPolygonF>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <vector>

#include "ClassPalette.hpp"
#include "ParityCosineChart.hpp"
#include "ParityVerdictText.hpp"
#include "PlotGeometry.hpp"
#include "Theme.hpp"
#include "TimeAxisModel.hpp"
#include "WindowTraceSource.hpp"
#include "common/Channels.hpp"

namespace imuwb::widgets {

namespace {

constexpr int kScatterMaxPoints = 4000;
constexpr double kSnrDisplayCapDb = 99.0;  // +inf (identical outputs) drawn as this
constexpr double kWindowLength_s = kContractWindowLength / kContractSampleRateHz;

// The A-vs-B scatter. Qt Charts draws the axes, grid and title; the markers are painted in one
// drawPoints call over the plot area. A QScatterSeries makes one QGraphicsItem per marker: its
// 4000 points took ~100 ms to create and paint, four fifths of showing a 24 h result.
class ScatterPlot : public QChartView {
 public:
  explicit ScatterPlot(QWidget* parent) : QChartView(new QChart(), parent) {
    chart()->legend()->hide();
    chart()->setMargins(QMargins(2, 2, 2, 2));
    chart()->setAnimationOptions(QChart::NoAnimation);
    xAxis_ = new QValueAxis(chart());
    yAxis_ = new QValueAxis(chart());
    xAxis_->setTitleText(QObject::tr("A (cpu)"));
    yAxis_->setTitleText(QObject::tr("B (int8)"));
    chart()->addAxis(xAxis_, Qt::AlignBottom);
    chart()->addAxis(yAxis_, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
  }
  void setPoints(QList<QPointF> points, QColor color) {
    points_ = std::move(points);
    color_ = color;
    double lo = 0, hi = 0;
    for (const auto& p : points_)
      lo = std::min({lo, p.x(), p.y()}), hi = std::max({hi, p.x(), p.y()});
    const double pad = std::max(1e-6, (hi - lo) * 0.05);
    xAxis_->setRange(lo - pad, hi + pad);
    yAxis_->setRange(lo - pad, hi + pad);
    viewport()->update();
  }
  const QList<QPointF>& points() const { return points_; }

 protected:
  void drawForeground(QPainter* painter, const QRectF&) override {
    if (points_.isEmpty()) return;
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    const double sx = plot.width() / std::max(1e-12, xAxis_->max() - xAxis_->min());
    const double sy = plot.height() / std::max(1e-12, yAxis_->max() - yAxis_->min());
    QPolygonF markers(points_.size());
    for (qsizetype i = 0; i < points_.size(); ++i)
      markers[i] = QPointF(plot.left() + (points_[i].x() - xAxis_->min()) * sx,
                           plot.bottom() - (points_[i].y() - yAxis_->min()) * sy);
    // One antialiased marker rendered once, then blitted per point: stroking 4000 round points
    // with an antialiased pen took ~10 ms per repaint.
    const qreal ratio = viewport()->devicePixelRatioF();
    QColor color = color_;
    color.setAlpha(170);  // overlapping markers read darker: a hint of density
    if (sprite_.isNull() || spriteColor_ != color || sprite_.devicePixelRatio() != ratio) {
      sprite_ = QPixmap(QSize(kMarkerBox, kMarkerBox) * ratio);
      sprite_.setDevicePixelRatio(ratio);
      sprite_.fill(Qt::transparent);
      QPainter marker(&sprite_);
      marker.setRenderHint(QPainter::Antialiasing);
      marker.setPen(Qt::NoPen);
      marker.setBrush(color);
      marker.drawEllipse(QPointF(kMarkerBox / 2.0, kMarkerBox / 2.0), kMarkerSize / 2,
                         kMarkerSize / 2);
      spriteColor_ = color;
    }
    painter->save();
    painter->setClipRect(plot);
    for (const auto& m : markers)
      painter->drawPixmap(QPointF(m.x() - kMarkerBox / 2.0, m.y() - kMarkerBox / 2.0), sprite_);
    painter->restore();
  }

 private:
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
  static constexpr int kMarkerBox = 6;  // pixels
  static constexpr double kMarkerSize = 3.5;
  QList<QPointF> points_;  // (a, b)
  QColor color_;
  QPixmap sprite_;
  QColor spriteColor_;
};

QString number(double value, int decimals) {
  if (std::isinf(value)) return value > 0 ? QStringLiteral("+inf") : QStringLiteral("-inf");
  return QString::number(value, 'f', decimals);
}

QTableWidgetItem* cell(const QString& text, double sortValue = 0) {
  auto* item = new QTableWidgetItem(text);
  item->setData(Qt::UserRole, sortValue);
  item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  return item;
}

}  // namespace

ParityView::ParityView(TimeAxisModel* axis, QWidget* parent) : QWidget(parent), axis_(axis) {
  header_ = new QLabel(tr("No parity run yet."), this);
  header_->setWordWrap(true);
  cosineChart_ = new ParityCosineChart(axis, this);
  cosineChart_->setMinimumHeight(90);

  table_ = new QTableWidget(0, Columns, this);
  table_->setHorizontalHeaderLabels({tr("output"), tr("cos mean"), tr("cos min"), tr("cos p5"),
                                     tr("SNR dB"), tr("max |a-b|"), tr("top-1"), tr("verdict")});
  table_->verticalHeader()->hide();
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  connect(table_, &QTableWidget::currentCellChanged, this,
          [this](int row, int, int, int) { selectOutput(row); });

  scatterView_ = new ScatterPlot(this);
  scatterView_->setMinimumWidth(220);

  auto* layersChart = new QChart();
  layersChart->legend()->hide();
  layersChart->setTitle(tr("per-layer SNR dB"));
  layersChart->setMargins(QMargins(2, 2, 2, 2));
  layersView_ = new QChartView(layersChart, this);
  layersView_->setRenderHint(QPainter::Antialiasing);
  layersView_->setMinimumWidth(260);
  layersView_->setToolTip(
      tr("Per layer, the lower SNR of: everything int8 measured at the layer, and only this "
         "layer int8 measured at the worst output. Red: below the flag threshold."));

  worst_ = new QListWidget(this);
  worst_->setToolTip(tr("Lowest-cosine windows of the selected output; click to go there"));
  connect(worst_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { activateWorst(worst_->row(item)); });
  connect(worst_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { activateWorst(worst_->row(item)); });

  auto* worstBox = new QWidget(this);
  auto* worstLayout = new QVBoxLayout(worstBox);
  worstLayout->setContentsMargins(0, 0, 0, 0);
  worstLayout->addWidget(new QLabel(tr("worst windows (click to jump)"), worstBox));
  worstLayout->addWidget(worst_);

  // The table gets the full width, its rows' height and every column's contents (a column cut
  // off hid the verdict); each verdict's reason is spelled out under it.
  reasons_ = new QLabel(this);
  reasons_->setWordWrap(true);
  reasons_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* tableBox = new QWidget(this);
  auto* tableLayout = new QVBoxLayout(tableBox);
  tableLayout->setContentsMargins(0, 0, 0, 0);
  tableLayout->addWidget(table_);
  tableLayout->addWidget(reasons_);
  auto* bottom = new QSplitter(Qt::Horizontal, this);
  bottom->addWidget(worstBox);
  bottom->addWidget(scatterView_);
  bottom->addWidget(layersView_);
  bottom->setStretchFactor(0, 2);
  bottom->setStretchFactor(1, 3);
  bottom->setStretchFactor(2, 4);
  bottom->setSizes({300, 440, 600});

  // The verdicts first: in a short dock they are what must be seen.
  auto* vertical = new QSplitter(Qt::Vertical, this);
  vertical->addWidget(tableBox);
  vertical->addWidget(cosineChart_);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 0);
  vertical->setStretchFactor(1, 2);
  vertical->setStretchFactor(2, 3);
  vertical->setCollapsible(0, false);
  vertical->setSizes({150, 300, 450});

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(header_);
  layout->addWidget(vertical, 1);
}

int ParityView::cosineLineCount() const {
  return static_cast<const ParityCosineChart*>(cosineChart_)->lineCount();
}

QList<QPointF> ParityView::cosinePoints(int output) const {
  if (output < 0 || output >= cosineChart_->traceCount()) return {};
  return cosineChart_->tracePoints(output);
}

const QList<QPointF>& ParityView::scatterPoints() const {
  return static_cast<const ScatterPlot*>(scatterView_)->points();
}

void ParityView::setStatus(const QString& text) {
  header_->setText(text);
}

void ParityView::setResult(std::shared_ptr<const analysis::ParityResult> result) {
  auto* chart = static_cast<ParityCosineChart*>(cosineChart_);
  chart->showResult(result.get());  // before the old result (its pyramids' data) goes
  result_ = std::move(result);
  selected_ = -1;
  if (!result_) {
    header_->setText(tr("No parity run yet."));
    table_->setRowCount(0);
    reasons_->clear();
    fitTable();
    static_cast<ScatterPlot*>(scatterView_)->setPoints({}, {});
    scatterSubsampled_ = false;
    worst_->clear();
    fillLayers();
    return;
  }
  const auto& r = *result_;
  header_->setText(tr("%1: A = %2 (%3) vs B = %4 (%5), %6 windows, %7 s — %8")
                       .arg(QString::fromStdString(r.modelName), QString::fromStdString(r.a.label),
                            QString::fromStdString(r.a.precision),
                            QString::fromStdString(r.b.label),
                            QString::fromStdString(r.b.precision))
                       .arg(r.windows)
                       .arg(r.seconds, 0, 'f', 1)
                       .arg(r.passed() ? tr("PASS") : tr("FAIL")));
  double low = 1.0;
  for (const auto& out : r.outputs) low = std::min({low, out.cosineMin, out.tolerance.minCosine});
  const double span = std::max(0.01, 1.0 - low);
  chart->yAxis()->setRange(std::max(-1.0, low - 0.1 * span), 1.0 + 0.05 * span);
  // Grid lines anchored at 1 (identical) at a 1-2-5 step giving about four of them.
  const double raw = span / 4, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / magnitude < 2   ? magnitude
                      : raw / magnitude < 5 ? 2 * magnitude
                                            : 5 * magnitude;
  chart->yAxis()->setTickType(QValueAxis::TicksDynamic);
  chart->yAxis()->setTickAnchor(1.0);
  chart->yAxis()->setTickInterval(step);
  fillTable();
  fillLayers();
  if (!r.outputs.empty()) table_->selectRow(0);
  selectOutput(r.outputs.empty() ? -1 : 0);
  chart->refreshNow();
}

void ParityView::fillTable() {
  const auto& r = *result_;
  QSignalBlocker block(table_);
  QStringList reasons;
  table_->setRowCount(static_cast<int>(r.outputs.size()));
  for (int row = 0; row < static_cast<int>(r.outputs.size()); ++row) {
    const auto& o = r.outputs[static_cast<std::size_t>(row)];
    table_->setItem(row, Output, cell(QString::fromStdString(o.output)));
    table_->setItem(row, CosineMean, cell(number(o.cosineMean, 4), o.cosineMean));
    table_->setItem(row, CosineMin, cell(number(o.cosineMin, 4), o.cosineMin));
    table_->setItem(row, CosineP5, cell(number(o.cosineP5, 4), o.cosineP5));
    table_->setItem(row, SnrDb, cell(number(o.snr_db, 1), o.snr_db));
    table_->setItem(row, MaxAbs, cell(number(o.maxAbs, 4), o.maxAbs));
    table_->setItem(row, Top1,
                    o.top1Agreement ? cell(QString::number(*o.top1Agreement * 100, 'f', 1) + " %",
                                           *o.top1Agreement)
                                    : cell(QStringLiteral("—"), -1));
    auto* verdict = cell(o.passed ? tr("pass") : tr("FAIL"), o.passed ? 1 : 0);
    verdict->setForeground(verdictColour(o.passed, table_->palette().color(QPalette::Base)));
    verdict->setToolTip(parityVerdictReason(o));
    table_->setItem(row, Verdict, verdict);
    reasons << parityVerdictReason(o).toHtmlEscaped();
  }
  reasons_->setText(reasons.join(QStringLiteral("<br>")));
  fitTable();
}

void ParityView::fitTable() {
  // Every column at its contents' width and every row shown: the layout may not squeeze the
  // table below that (the dock scrolls instead of cutting a column off).
  table_->resizeColumnsToContents();
  auto* header = table_->horizontalHeader();
  int width = 2 * table_->frameWidth();
  for (int c = 0; c < table_->columnCount(); ++c) width += header->sectionSize(c);
  int height = 2 * table_->frameWidth() + header->height();
  for (int r = 0; r < table_->rowCount(); ++r) height += table_->rowHeight(r);
  table_->setMinimumWidth(width);
  table_->setMinimumHeight(height);
  table_->setMaximumHeight(height);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QString ParityView::verdictReason(int output) const {
  if (!result_ || output < 0 || output >= static_cast<int>(result_->outputs.size())) return {};
  return parityVerdictReason(result_->outputs[static_cast<std::size_t>(output)]);
}

void ParityView::selectOutput(int output) {
  if (!result_ || output < 0 || output >= static_cast<int>(result_->outputs.size())) {
    selected_ = -1;
    static_cast<ScatterPlot*>(scatterView_)->setPoints({}, {});
    scatterSubsampled_ = false;
    worst_->clear();
    return;
  }
  selected_ = output;
  if (table_->currentRow() != output) {
    QSignalBlocker block(table_);
    table_->selectRow(output);
  }
  fillScatter();
  fillWorst();
}

void ParityView::fillScatter() {
  const auto& out = result_->outputs[static_cast<std::size_t>(selected_)];
  // Core keeps a deterministic, uniform random sample (reservoir, fixed seed) of at most a few
  // thousand (a, b) pairs out of windows x dim; thin it evenly should it ever hold more, so the
  // scatter never paints more than kScatterMaxPoints markers.
  const auto& pairs = out.scatter;
  const std::size_t step = std::max<std::size_t>(
      1, (pairs.size() + kScatterMaxPoints - 1) / static_cast<std::size_t>(kScatterMaxPoints));
  QList<QPointF> points;
  points.reserve(static_cast<qsizetype>(pairs.size() / step + 1));
  for (std::size_t i = 0; i < pairs.size(); i += step)
    points.append(QPointF(pairs[i].first, pairs[i].second));
  const std::size_t values = out.windows * out.dim;
  scatterSubsampled_ = static_cast<std::size_t>(points.size()) < values;
  const qsizetype shown = points.size();
  static_cast<ScatterPlot*>(scatterView_)->setPoints(std::move(points), categoricalColor(0));
  const QString name = QString::fromStdString(out.output);
  scatterView_->chart()->setTitle(
      scatterSubsampled_
          ? tr("%1: B against A (%2 of %3 values, random sample)").arg(name).arg(shown).arg(values)
          : tr("%1: B against A (%2 values)").arg(name).arg(shown));
  scatterView_->setToolTip(
      scatterSubsampled_
          ? tr("Subsampled: %1 of the %2 (A, B) value pairs (%3 windows x %4 dims), a uniform "
               "random sample with a fixed seed, so the same run always shows the same points. "
               "For the worst windows use the list on the left.")
                .arg(shown)
                .arg(values)
                .arg(out.windows)
                .arg(out.dim)
          : tr("Every (A, B) value pair of this output."));
}

void ParityView::fillWorst() {
  const auto& out = result_->outputs[static_cast<std::size_t>(selected_)];
  worst_->clear();
  for (const auto& w : out.worst) {
    auto* item = new QListWidgetItem(tr("%1  #%2  cos %3  mse %4")
                                         .arg(formatTime(w.time_s, 0.01))
                                         .arg(w.window)
                                         .arg(w.cosine, 0, 'f', 4)
                                         .arg(w.mse, 0, 'g', 3));
    item->setData(Qt::UserRole, w.time_s);
    worst_->addItem(item);
  }
}

void ParityView::activateWorst(int row) {
  if (!result_ || selected_ < 0 || row < 0) return;
  const auto& worst = result_->outputs[static_cast<std::size_t>(selected_)].worst;
  if (row >= static_cast<int>(worst.size())) return;
  const double t = worst[static_cast<std::size_t>(row)].time_s;
  const auto view = axis_->view();
  const double half = std::max(kWindowLength_s * 2, view.length() / 2);
  axis_->setView({t + kWindowLength_s / 2 - half, t + kWindowLength_s / 2 + half});
  axis_->setSelection({t, t + kWindowLength_s});
  axis_->setCursor(t);
}

void ParityView::fillLayers() {
  auto* chart = layersView_->chart();
  chart->removeAllSeries();
  for (auto* axis : chart->axes()) chart->removeAxis(axis), delete axis;
  layerSnr_ = nullptr;
  if (!result_ || !result_->layers || result_->layers->layers.empty()) {
    chart->setTitle(tr("per-layer SNR: not computed for this run"));
    chart->legend()->hide();
    return;
  }
  const auto& report = *result_->layers;
  chart->setTitle(tr("SNR dB per layer (red: below %1)").arg(report.flagBelow_db, 0, 'f', 0));
  // One bar per layer: the lower of "all int8, measured at the layer" and "only this layer int8,
  // worst output". Stacked from two sets so a flagged layer's bar is red and the rest blue.
  auto* series = new QHorizontalStackedBarSeries();
  layerSnr_ = new QBarSet(tr("SNR dB"));
  auto* flagged = new QBarSet(tr("flagged"));
  layerSnr_->setColor(categoricalColor(0));
  flagged->setColor(QColor(0xd62728));
  QStringList names;
  double top = report.flagBelow_db, bottom = 0;
  // Qt draws the first category at the bottom; reverse so execution order reads top-down.
  for (auto it = report.layers.rbegin(); it != report.layers.rend(); ++it) {
    double snr = it->snrAllQuantized_db;
    if (report.onlyThisLayerComputed) snr = std::min(snr, it->snrOnlyThisLayerMin_db);
    snr = std::min(kSnrDisplayCapDb, snr);
    const bool isFlagged = it->flagged || snr < report.flagBelow_db;
    *layerSnr_ << (isFlagged ? 0.0 : snr);
    *flagged << (isFlagged ? snr : 0.0);
    // "/features/features.6/Conv" -> "features.6/Conv": the layer, without the scope prefix.
    QString name = QString::fromStdString(it->node.empty() ? it->tensor : it->node);
    const auto parts = name.split('/', Qt::SkipEmptyParts);
    if (parts.size() >= 2) name = parts[parts.size() - 2] + "/" + parts.back();
    if (name.size() > 22) name = "…" + name.right(21);
    names << name;
    top = std::max(top, snr);
    bottom = std::min(bottom, snr);
  }
  series->append(layerSnr_);
  series->append(flagged);
  series->setBarWidth(0.7);
  chart->addSeries(series);
  chart->legend()->hide();
  auto* categories = new QBarCategoryAxis(chart);
  categories->append(names);
  categories->setTruncateLabels(false);
  auto* values = new QValueAxis(chart);
  values->setRange(bottom, top * 1.05);
  values->setLabelFormat("%.0f");
  chart->addAxis(categories, Qt::AlignLeft);
  chart->addAxis(values, Qt::AlignBottom);
  series->attachAxis(categories);
  series->attachAxis(values);
}

void ParityView::refreshNow() {
  cosineChart_->refreshNow();
}

}  // namespace imuwb::widgets
