#include "plot_command.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/input_file.h"
#include "cli_app.h"
#include "sweep/sweep_table.h"

namespace loadlab::cli {
namespace {

PlotRenderer& renderer() {
  static PlotRenderer r;
  return r;
}

int bad_input(const std::string& why) {
  fmt::print(stderr, "loadlab-cli plot: error: {}\n", why);
  return kBadInput;
}

}  // namespace

void set_plot_renderer(PlotRenderer r) { renderer() = std::move(r); }

int plot_command(const PlotOptions& o) {
  const std::string suffix = std::filesystem::path(o.out).extension().string();
  if (suffix != ".png" && suffix != ".svg")
    return bad_input(fmt::format("--out '{}': the picture must be a .png or .svg file", o.out));
  if (o.width < 200 || o.width > 8000 || o.height < 150 || o.height > 8000)
    return bad_input(fmt::format("--size {}x{}: between 200x150 and 8000x8000 pixels", o.width, o.height));
  std::optional<double> target;
  if (!o.target.empty()) {
    char* end = nullptr;
    const double v = std::strtod(o.target.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v))
      return bad_input(fmt::format("--target '{}': not a number (in the metric's unit: µs for a latency)", o.target));
    target = v;
  }
  SweepCurves curves;
  try {
    if (const auto problem = unreadable_file_problem(o.csv)) return bad_input(*problem);
    std::ifstream in(o.csv, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return bad_input(fmt::format("cannot read '{}'", o.csv));
    const SweepTable table = read_sweep_table(text.str(), o.csv);
    if (table.rows.empty()) return bad_input(fmt::format("{}: the sweep has no points", o.csv));
    curves = build_sweep_curves(table, {o.x, o.y, o.by, o.theory});
  } catch (const std::invalid_argument& e) {
    return bad_input(fmt::format("--{}", e.what()));
  } catch (const std::exception& e) {
    return bad_input(e.what());
  }
  if (!renderer())
    return bad_input(
        "this loadlab-cli was built without the window (LOADLAB_BUILD_GUI=OFF), and plot draws with Qt Charts");
  std::string error;
  if (!renderer()(curves, target, o.out, o.width, o.height, error)) {
    fmt::print(stderr, "loadlab-cli plot: error: {}\n", error);
    return kRuntimeError;
  }
  return kOk;
}

}  // namespace loadlab::cli
