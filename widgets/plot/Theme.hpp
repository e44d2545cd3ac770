#pragma once
// Light and dark palettes for the whole application, and "follow the system" as far as Qt 6.4
// can tell (a dark desktop palette, or a dark GTK theme name).
namespace imuwb::widgets {

enum class Theme { System, Light, Dark };

// Fusion style with the light palette, the dark one, or whichever the desktop prefers.
void applyApplicationTheme(Theme theme);

}  // namespace imuwb::widgets
