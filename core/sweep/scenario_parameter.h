#pragma once
// The scenario fields a sweep can vary, by the name the user types, and how each one is set.
// One table (scenario_parameter.cpp) is the only place that knows them: the CLI's help, the
// window's parameter list and parse_sweep_parameter() all read it.
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/sweep_parameter.h"

namespace loadlab {

enum class ParameterKind { real, integer, categorical };

struct ParameterInfo {
  std::string name;  // `rate`; for per-node ones the prefix with a placeholder: `weight:NODE`
  ParameterKind kind = ParameterKind::real;
  std::string summary;
};

// Every parameter, in the order the help lists them.
const std::vector<ParameterInfo>& sweep_parameters();
// The entry for `name` (`weight:c` finds `weight:NODE`), or null when there is none.
const ParameterInfo* find_sweep_parameter(const std::string& name);

// Sets `name` to `value` in `scenario`. `nodes` keeps the first nodes as they are and adds
// default ones (weight 1, speed 1) to grow. Throws ScenarioError for an unknown parameter or
// a per-node parameter naming a node the scenario does not have. Does not validate the
// scenario (the caller does, once every parameter of a point is set).
void apply_sweep_parameter(Scenario& scenario, const std::string& name, const ParameterValue& value);

// The value `name` has in `scenario` (a chart marks it: "you are here"), for the numeric
// parameters with one value for the whole cluster; empty otherwise (a categorical one, slots
// that differ between nodes, an unknown name or node).
std::optional<double> sweep_parameter_value(const Scenario& scenario, const std::string& name);

// A point's parameters applied in a fixed order whatever the order of the --vary flags:
// `nodes` first (so `weight:d` can name a node that `nodes=4` adds), then the others as given.
void apply_point(Scenario& scenario, const std::vector<SweepParameter>& parameters,
                 const std::vector<ParameterValue>& values);

}  // namespace loadlab
