#include "launch/make_run.h"

#include "engine/engine.h"
#include "sim/simulator.h"

namespace loadlab {

std::unique_ptr<Run> make_run(const Scenario& scenario) {
  if (scenario.clock == Scenario::Clock::virtual_time) return std::make_unique<Simulator>(scenario);
  return std::make_unique<Engine>(scenario);
}

}  // namespace loadlab
