#pragma once
// `loadlab-cli plot`'s renderer: a SweepChart drawn offscreen into a PNG or SVG file, with
// the light theme a report or a slide expects. Starts a QApplication on the offscreen
// platform when the program has none (loadlab-cli is not a Qt program until it plots).
#include <optional>
#include <string>

#include "sweep/sweep_curves.h"

namespace loadlab::ui {

bool render_sweep_plot(const SweepCurves& curves, std::optional<double> target, const std::string& out, int width,
                       int height, std::string& error);

}  // namespace loadlab::ui
