#pragma once
// One varied parameter of a sweep: its name as the user types it (`rate`, `weight:c`,
// `balancer`) and the values it takes, parsed from a SPEC:
//   a,b,c       a list (numbers, or names for a categorical parameter such as the balancer)
//   lo:hi:step  a linear range, lo, lo+step, ... up to hi inclusive (within 1e-9 of a step)
//   lo:hi:xN    a log range of N points from lo to hi inclusive, each a constant factor apart
// Every value keeps the text it is written with in the CSV, and its number is parsed back
// from that text, so the value a point ran with is exactly the one its row shows (a sweep
// re-run from its own CSV or definition file gives the same bytes).
#include <cstddef>
#include <string>
#include <vector>

namespace loadlab {

struct ParameterValue {
  std::string text;   // as written in the CSV: the list item, or the range value in %.10g
  double number = 0;  // parsed from `text`; unused for a categorical parameter
};

struct SweepParameter {
  std::string name;  // `rate`, `weight:c`, ...
  std::string spec;  // as given, for the definition file and error messages
  std::vector<ParameterValue> values;
};

// Parses `NAME=SPEC`. Checks the name against the known parameters (scenario_parameter.h)
// and the spec's form: empty lists or ranges, step <= 0, lo > hi, N < 1, a log range with
// lo <= 0, a number that does not parse, a range for a categorical parameter, a fractional
// value for an integer one (`nodes=2.5`). Throws ScenarioError naming the `--vary` and the
// value. Integer parameters on a log range are rounded and repeats dropped.
SweepParameter parse_sweep_parameter(const std::string& name_equals_spec);

}  // namespace loadlab
