#include "ClassPalette.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace imuwb::widgets {

QColor categoricalColor(int index) {
  // Tableau-like qualitative set: readable on dark and light backgrounds.
  static const std::array<QRgb, 12> colors = {0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759,
                                              0x76b7b2, 0xedc948, 0xb07aa1, 0xff9da7,
                                              0x9c755f, 0x86bcb6, 0xd37295, 0xa0cbe8};
  if (index < 0) return QColor(0x888888);
  if (index < static_cast<int>(colors.size()))
    return QColor(colors[static_cast<std::size_t>(index)]);
  return QColor::fromHsv((index * 47) % 360, 160, 220);
}

QColor channelColor(int axis) {
  static const std::array<QRgb, 3> colors = {0xe15759, 0x59a14f, 0x4e79a7};
  return QColor(colors[static_cast<std::size_t>(std::clamp(axis, 0, 2))]);
}

void ClassPalette::setClasses(const std::vector<std::string>& classes) {
  classes_ = classes;
}

void ClassPalette::addClasses(const std::vector<std::string>& classes) {
  for (const auto& name : classes)
    if (indexOf(name) < 0) classes_.push_back(name);
}

int ClassPalette::indexOf(const std::string& name) const {
  const auto it = std::find(classes_.begin(), classes_.end(), name);
  return it == classes_.end() ? -1 : static_cast<int>(it - classes_.begin());
}

QColor ClassPalette::color(const std::string& name) const {
  return categoricalColor(indexOf(name));
}

QRgb heatColor(double v) {
  // Piecewise-linear approximation of viridis through 5 anchors.
  static const std::array<std::array<double, 3>, 5> anchors = {
      {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
  if (!std::isfinite(v)) return qRgb(255, 0, 255);
  v = std::clamp(v, 0.0, 1.0) * (anchors.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(v), anchors.size() - 2);
  const double f = v - static_cast<double>(i);
  auto mix = [&](int c) {
    return static_cast<int>(anchors[i][c] + (anchors[i + 1][c] - anchors[i][c]) * f + 0.5);
  };
  return qRgb(mix(0), mix(1), mix(2));
}

}  // namespace imuwb::widgets
