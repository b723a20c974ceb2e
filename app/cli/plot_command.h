#pragma once
// `loadlab-cli plot sweep.csv --x rate --y p99_us --by balancer --out chart.png|svg`: a
// sweep's tidy CSV drawn as the What-if tab draws it (ui/sweep_chart), headless, so CI and
// reports get pictures. The command reads and checks everything here; the drawing is Qt's and
// lives in the window's library, handed in by the program's main as a renderer. A
// loadlab-cli built without the window (LOADLAB_BUILD_GUI=OFF) has none and says so.
#include <functional>
#include <optional>
#include <string>

#include "sweep/sweep_curves.h"

namespace loadlab::cli {

struct PlotOptions {
  std::string csv;
  std::string x, y = "p99_us", by, theory;
  std::string target;  // empty: no target line; in the metric's unit (µs for a latency)
  std::string out;
  int width = 1200, height = 800;
};

// Draws `curves` into `out` (.png or .svg); returns false with the reason in `error`.
using PlotRenderer = std::function<bool(const SweepCurves& curves, std::optional<double> target, const std::string& out,
                                        int width, int height, std::string& error)>;
void set_plot_renderer(PlotRenderer renderer);

// Exit codes as cli_app.h: 2 for a missing or broken CSV, an unknown column, a bad target,
// size or file type (nothing written); 1 when the picture cannot be written.
int plot_command(const PlotOptions& options);

}  // namespace loadlab::cli
