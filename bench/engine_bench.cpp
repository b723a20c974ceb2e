// Engine throughput end to end: dispatcher → node threads → counters, in max mode with no
// cache and zero service time, so what is measured is the engine itself.
#include <benchmark/benchmark.h>

#include "engine/engine.h"

namespace loadlab {
namespace {

void BM_EngineMaxThroughput(benchmark::State& state) {
  Scenario s;
  s.nodes = default_nodes(static_cast<std::size_t>(state.range(0)));
  s.cache_policy = "none";
  s.service.hit_us = s.service.miss_us = 0;
  s.workload.mode = Workload::Mode::max;
  s.workload.requests = 2'000'000;
  double requests = 0, seconds = 0;
  for (auto _ : state) {
    Engine engine(s);
    engine.start();
    engine.wait();
    const RunReport r = engine.report();
    requests += static_cast<double>(r.completed);
    seconds += r.elapsed_s;
  }
  state.counters["requests_per_s"] = requests / seconds;
  state.SetItemsProcessed(static_cast<std::int64_t>(requests));
}

BENCHMARK(BM_EngineMaxThroughput)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace loadlab
