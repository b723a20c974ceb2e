#pragma once
// Sweep presets: a question asked over a range, with the lesson it teaches and how to draw its
// answer. Each is a file resources/sweeps/NAME.json:
//   {"title": "...", "lesson": "...",
//    "scenario": { a scenario, as a preset or `run` file holds it },
//    "vary": ["rate=100:950:50", ...], "seeds": 5,
//    "chart": {"x": "rate", "y": "mean_us", "by": "balancer", "theory": "theory_mean_us",
//              "target": 50000, "log_x": false}}
// The files are compiled into the core library (generated sweep_preset_data.cpp), so the CLI,
// the window and the tests find the same presets with no path to look up; the Debian package
// also installs them under share/loadlab/sweeps as examples to copy.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/sweep_definition.h"

namespace loadlab {

// How the preset's answer is drawn. Names are the sweep CSV's: `x` and `by` are varied
// parameters of the preset, `y` and `theory` metrics of run_metrics.h.
struct SweepChartHints {
  std::string x;                      // the varied parameter on the horizontal axis
  std::string y;                      // the measured metric, one curve per `by` value
  std::optional<std::string> by;      // a categorical varied parameter: one curve per value
  std::optional<std::string> theory;  // the metric that is the formula, drawn dashed per curve
  std::optional<double> target;       // a horizontal line at y = target (its crossing labelled)
  bool log_x = false;                 // the x values are a log range: draw the axis logarithmic
};

struct SweepPreset {
  std::string name;    // the file name without .json: what `sweep --preset NAME` takes
  std::string title;   // one line: "Latency against load: the M/M/1 hockey stick"
  std::string lesson;  // what the curve shows and why, a paragraph or two
  Scenario scenario;   // the base scenario every point starts from (virtual clock)
  SweepDefinition definition;
  SweepChartHints chart;
};

// The names of the built-in presets, sorted.
std::vector<std::string> sweep_preset_names();

// The built-in preset `name`. Throws ScenarioError naming `--preset` and listing the known
// names when there is none.
SweepPreset load_sweep_preset(std::string_view name);

// A preset from its JSON text; `name` is what it is called, `where` names it in errors (a
// file, or "preset NAME"). Throws ScenarioError naming the field for bad JSON, a missing or
// unknown field, a scenario or vary spec that does not parse, or chart hints that name a
// parameter the preset does not vary or a metric that does not exist.
SweepPreset parse_sweep_preset(std::string_view json_text, std::string_view name, std::string_view where);

// A preset from a file (`sweep --preset FILE.json`, to try an edited copy); its name is the
// file's stem. Throws ScenarioError naming the file for a missing or unreadable file, and as
// parse_sweep_preset() otherwise.
SweepPreset load_sweep_preset_file(const std::string& file);

}  // namespace loadlab
