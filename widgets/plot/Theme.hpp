#pragma once
// Light and dark palettes for the whole application, and "follow the system" as far as Qt 6.4
// can tell (a dark desktop palette, or a dark GTK theme name).
#include <QColor>

namespace imuwb::widgets {

enum class Theme { System, Light, Dark };

// Fusion style with the light palette, the dark one, or whichever the desktop prefers.
void applyApplicationTheme(Theme theme);

// A pass/fail verdict's text colour, readable (at least 4.5:1) on the given background: darker
// on a light base, lighter on a dark one.
QColor verdictColour(bool passed, const QColor& background);

}  // namespace imuwb::widgets
