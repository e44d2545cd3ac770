#pragma once
// DecimatedTrace -> the QPointF list a QXYSeries takes in one replace() call.
#include <QList>
#include <QPointF>

#include "DecimatedTrace.hpp"

namespace imuwb::widgets {

// Raw traces become one point per sample; decimated ones two points per column (min, max), which
// draws the vertical min..max stroke of each column. Columns with no finite sample are skipped.
QList<QPointF> tracePoints(const DecimatedTrace& trace);

}  // namespace imuwb::widgets
