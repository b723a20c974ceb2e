// libFuzzer target: any bytes given to the scenario parser either parse into a scenario that
// validates, or raise ScenarioError — never a crash, a hang or another exception. What parses
// must also build its service-time and arrival models, which must give finite, ordered times.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenario/scenario.h"
#include "scenario/scenario_json.h"

namespace {

void exercise_models(const loadlab::Scenario& s) {
  loadlab::Rng rng(s.seed);
  const loadlab::ServiceTime service(s.service);
  for (bool hit : {false, true}) {
    if (!(service.second_moment_us2(hit) >= 0)) __builtin_trap();  // +inf allowed, NaN not
    for (int i = 0; i < 32; ++i) {
      const double us = service.sample_us(hit, rng, 0.5);
      if (!std::isfinite(us) || us < 0) __builtin_trap();
    }
  }
  loadlab::ArrivalProcess arrivals = loadlab::make_arrival_process(s.workload);
  double t = 0;
  for (int i = 0; i < 64 && t < 1e15; ++i) {
    if (i == 32) arrivals.set_rate(arrivals.nominal_rate() * 2, t);
    const double next = arrivals.next_ns(t, rng);
    if (std::isnan(next) || next < t) __builtin_trap();
    t = next;
  }
  if (std::isnan(arrivals.mean_rate_over(0, 1e12))) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const loadlab::Scenario s = loadlab::parse_scenario(text);
    loadlab::validate(s);  // what parsed must be valid
    // And what is written back must parse again to the same thing.
    const loadlab::Scenario again = loadlab::parse_scenario(loadlab::scenario_to_json(s));
    if (again.nodes.size() != s.nodes.size() || again.faults.size() != s.faults.size() ||
        again.service.distribution != s.service.distribution || again.workload.arrival != s.workload.arrival ||
        again.workload.rate_schedule.points.size() != s.workload.rate_schedule.points.size() || again.clock != s.clock)
      __builtin_trap();
    exercise_models(s);
  } catch (const loadlab::ScenarioError&) {
  }
  return 0;
}
