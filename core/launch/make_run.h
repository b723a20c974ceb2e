#pragma once
// The one place that knows both drivers: a run of the scenario on the clock it asks for
// (Scenario::clock — real threads, or virtual time as fast as possible).
#include <memory>

#include "run/run.h"

namespace loadlab {

std::unique_ptr<Run> make_run(const Scenario& scenario);

}  // namespace loadlab
