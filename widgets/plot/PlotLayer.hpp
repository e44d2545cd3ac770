#pragma once
// The data layer of a time chart (background, label bands, grid and signal traces) painted into
// an image on a thread of Qt's global pool; the chart's paint event only blits it.
//
// Why a pool thread: Qt 6.4's raster engine splits every fill of more than ~96 spans across
// QThreadPool::globalInstance() and waits for it (QT_THREAD_PARALLEL_FILLS in qdrawhelper.cpp).
// A thin polyline is flushed every 255 spans, so painting the timeline's 18 traces on the GUI
// thread paid a thread hand-off every few hundred pixels, and grid lines one each. Qt does not
// nest that splitting inside a pool thread, so painting there is plain serial rasterising, and
// the charts of one frame paint concurrently instead of one after another.
#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QSize>
#include <future>
#include <vector>

namespace imuwb::widgets {

// What a chart paints into its data layer, in data coordinates (seconds, value).
struct PlotLayerContent {
  struct Trace {  // a polyline
    QList<QPointF> points;
    QColor color;
  };
  struct Area {  // filled between two polylines (a stacked-area band)
    QList<QPointF> upper;
    QList<QPointF> lower;
    QColor color;
  };
  struct Marks {  // dots
    QList<QPointF> points;
    QColor color;
    double radius_px = 3;
  };
  struct Guide {  // a dashed horizontal line across the plot
    double value;
    QColor color;
  };
  QImage heat;  // one pixel per plot column and per band row, stretched over the plot
  std::vector<Area> areas;
  std::vector<Trace> traces;
  std::vector<Guide> guides;
  std::vector<Marks> marks;
};

struct PlotLayerScene {
  QSize size;  // the plot rectangle, in device-independent pixels
  qreal devicePixelRatio = 1;
  QColor base;
  QColor grid;
  std::vector<double> gridX;  // layer pixel positions
  std::vector<double> gridY;
  struct Band {
    double x0, x1;  // layer pixels
    QColor color;
  };
  std::vector<Band> bands;
  PlotLayerContent content;
  double xScale = 1, xOffset = 0;  // pixel x = t * xScale + xOffset
  double yScale = 1, yOffset = 0;  // pixel y = v * yScale + yOffset
};

QImage renderPlotLayer(const PlotLayerScene& scene);

// One chart's layer: start() hands the scene to the global pool; image() waits for the newest
// render.
class PlotLayer {
 public:
  PlotLayer() = default;
  PlotLayer(const PlotLayer&) = delete;
  PlotLayer& operator=(const PlotLayer&) = delete;
  ~PlotLayer();

  void start(PlotLayerScene scene);
  const QImage& image();

 private:
  std::future<QImage> pending_;
  QImage image_;
};

}  // namespace imuwb::widgets
