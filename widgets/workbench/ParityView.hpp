#pragma once
// The parity view: A against B (cpu against int8) from one core ParityResult. Cosine per window
// on the shared time axis with each output's tolerance line, a per-output table, an A-vs-B
// scatter of the selected output, the per-layer SNR bars (flagged layers in red) and the
// worst windows of the selected output, where a click moves the shared cursor and view there.
// A 24 h session has ~173k windows per output: the cosine lines are decimated min/max per pixel
// column (pyramids built once per result), so a pan or zoom costs the plot's width, not the
// window count; the scatter shows core's bounded sample of value pairs and says so.
#include <QList>
#include <QPointF>
#include <QWidget>
#include <memory>

#include "analysis/ParityResult.hpp"

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QListWidget;
class QTableWidget;
class QBarSet;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class TimeChartView;

class ParityView : public QWidget {
  Q_OBJECT
 public:
  explicit ParityView(TimeAxisModel* axis, QWidget* parent = nullptr);

  void setResult(std::shared_ptr<const analysis::ParityResult> result);  // nullptr clears
  std::shared_ptr<const analysis::ParityResult> result() const { return result_; }
  void setStatus(const QString& text);

  // Table columns, in order.
  enum Column { Output, CosineMean, CosineMin, CosineP5, SnrDb, MaxAbs, Top1, Verdict, Columns };
  QTableWidget* table() const { return table_; }
  // Why the output passed or failed (also under the table and in the verdict's tooltip).
  QString verdictReason(int output) const;
  QLabel* reasonsLabel() const { return reasons_; }
  QListWidget* worstList() const { return worst_; }
  TimeChartView* cosineChart() const { return cosineChart_; }
  // One cosine line per output, in output order, as drawn after the last refresh: the windows
  // in view, raw when fewer than two per pixel column, else the exact min and max of each
  // column (see WindowTraceSource), as (seconds, cosine).
  int cosineLineCount() const;
  QList<QPointF> cosinePoints(int output) const;
  // The selected output's A-vs-B scatter: its (a, b) points as drawn, and whether they are a
  // sample of the output's windows x dim value pairs (the title and tooltip then say so).
  const QList<QPointF>& scatterPoints() const;
  QChartView* scatterView() const { return scatterView_; }
  bool scatterSubsampled() const { return scatterSubsampled_; }
  QBarSet* layerSnrSet() const { return layerSnr_; }
  int selectedOutput() const { return selected_; }
  void selectOutput(int output);
  void refreshNow();

 private:
  void fillTable();
  void fitTable();
  void fillScatter();
  void fillWorst();
  void fillLayers();
  void activateWorst(int row);

  TimeAxisModel* axis_;
  std::shared_ptr<const analysis::ParityResult> result_;
  QLabel* header_ = nullptr;
  TimeChartView* cosineChart_ = nullptr;
  QTableWidget* table_ = nullptr;
  QLabel* reasons_ = nullptr;
  QChartView* scatterView_ = nullptr;
  bool scatterSubsampled_ = false;
  QChartView* layersView_ = nullptr;
  QBarSet* layerSnr_ = nullptr;
  QListWidget* worst_ = nullptr;
  int selected_ = -1;
};

}  // namespace imuwb::widgets
