#pragma once
// The parity view: A against B (cpu against int8) from one core ParityResult. Cosine per window
// on the shared time axis with each output's tolerance line, a per-output table, an A-vs-B
// scatter of the selected output, the per-layer SNR bars (flagged layers in red) and the
// worst windows of the selected output, where a click moves the shared cursor and view there.
#include <QWidget>
#include <memory>
#include <vector>

#include "analysis/ParityResult.hpp"

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QLineSeries;
class QListWidget;
class QScatterSeries;
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
  QListWidget* worstList() const { return worst_; }
  TimeChartView* cosineChart() const { return cosineChart_; }
  // One cosine line per output (all windows), in output order.
  int cosineLineCount() const { return static_cast<int>(cosineLines_.size()); }
  QLineSeries* cosineLine(int output) const;
  QScatterSeries* scatter() const { return scatter_; }
  QBarSet* layerSnrSet() const { return layerSnr_; }
  int selectedOutput() const { return selected_; }
  void selectOutput(int output);
  void refreshNow();

 private:
  void fillTable();
  void fillScatter();
  void fillWorst();
  void fillLayers();
  void activateWorst(int row);

  TimeAxisModel* axis_;
  std::shared_ptr<const analysis::ParityResult> result_;
  QLabel* header_ = nullptr;
  TimeChartView* cosineChart_ = nullptr;
  std::vector<QLineSeries*> cosineLines_;
  QTableWidget* table_ = nullptr;
  QChartView* scatterView_ = nullptr;
  QScatterSeries* scatter_ = nullptr;
  QChartView* layersView_ = nullptr;
  QBarSet* layerSnr_ = nullptr;
  QListWidget* worst_ = nullptr;
  int selected_ = -1;
};

}  // namespace imuwb::widgets
