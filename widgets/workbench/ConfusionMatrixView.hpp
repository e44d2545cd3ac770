#pragma once
// A confusion matrix drawn as a grid: rows are the labels, columns the predictions, class names
// on both axes, each cell its count on a colour scale (darker = more windows). As a difference
// (backend B minus A) the scale diverges: blue where B has more windows in the cell, red where it
// has fewer, white where they agree. A click on a cell emits cellClicked(label, prediction).
#include <QStringList>
#include <QWidget>
#include <vector>

namespace imuwb::widgets {

class ConfusionMatrixView : public QWidget {
  Q_OBJECT
 public:
  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  // values[label * classes + prediction]; signed when difference is true.
  void setMatrix(QStringList classes, std::vector<long long> values, bool difference);
  void clear();
  int classCount() const { return static_cast<int>(classes_.size()); }
  const QStringList& classes() const { return classes_; }
  long long value(int label, int prediction) const;
  bool showsDifference() const { return difference_; }
  // The cell's rectangle in widget pixels (empty outside the matrix), and the cell at a point.
  QRect cellRect(int label, int prediction) const;
  bool cellAt(QPoint position, int* label, int* prediction) const;
  void setSelectedCell(int label, int prediction);                   // -1, -1: none
  void setPlaceholder(const QString& text) { placeholder_ = text; }  // shown with no matrix

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return {240, 200}; }

 signals:
  void cellClicked(int label, int prediction);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  struct Layout {
    QRect grid;
    int cell = 0;
  };
  Layout layout() const;
  QColor cellColor(long long value) const;

  QStringList classes_;
  std::vector<long long> values_;
  bool difference_ = false;
  long long scale_ = 1;  // the largest |value|
  int selectedLabel_ = -1, selectedPrediction_ = -1;
  QString placeholder_ = tr("evaluate a model to see its confusion matrix");
};

}  // namespace imuwb::widgets
