#pragma once
// Stable, distinguishable colours for class names and channels, shared by every view so the
// same class has the same colour in label bands, predicted strips and probability plots.
#include <QColor>
#include <QString>
#include <string>
#include <vector>

namespace imuwb::widgets {

QColor categoricalColor(int index);  // a 12-colour qualitative palette, then hue rotation
QColor channelColor(int axis);       // x, y, z within a sensor group

// Maps class names to colours by their position in a class list (labels first, then any
// predicted-only classes), so colours do not change when a model is added.
class ClassPalette {
 public:
  void setClasses(const std::vector<std::string>& classes);
  void addClasses(const std::vector<std::string>& classes);  // keeps existing colours
  QColor color(const std::string& name) const;
  int indexOf(const std::string& name) const;
  const std::vector<std::string>& classes() const { return classes_; }

 private:
  std::vector<std::string> classes_;
};

// Viridis-like colour map for heatmaps: value in [0,1].
QRgb heatColor(double value01);

}  // namespace imuwb::widgets
