#pragma once
// A bad parameter found by a model below the scenario layer: the field, relative to the
// object that holds it ("p99_us", "rate_schedule.points[2].at_s"), and what is wrong with it.
// The scenario layer prefixes the path and turns it into a ScenarioError.
#include <optional>
#include <string>

namespace loadlab {

struct FieldProblem {
  std::string field;
  std::string problem;
};

}  // namespace loadlab
