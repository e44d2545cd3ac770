#pragma once
// Per-window channels (e.g. 12 motif scores) as heat rows: one image row per channel, one
// pixel per plot column, coloured by the largest value among the windows whose centres fall in
// that column (so a brief high score is never averaged away, like the line views' min/max).
// Zoomed in, a column with no window centre takes the nearest window's value, so each window
// shows as a block as wide as its spacing. Columns outside the data stay transparent.
#include <QImage>

#include "WindowTraceSource.hpp"

namespace imuwb::widgets {

// Row r is channel r of `source`, top to bottom; `color` maps a value to a pixel.
QImage heatRows(const WindowTraceSource& source, double t0_s, double t1_s, int columns,
                QRgb (*color)(double value));

// The value heatRows() colours column `column` of row `channel` with; NaN where transparent.
double heatValue(const WindowTraceSource& source, std::size_t channel, double t0_s, double t1_s,
                 int columns, int column);

}  // namespace imuwb::widgets
