// Engine throughput end to end: dispatcher → node threads → counters, in max mode with no
// cache and zero service time, so what is measured is the engine itself.
#include <benchmark/benchmark.h>

#include <time.h>

#include "engine/engine.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

// CPU time of the calling thread: the simulator runs on it alone, so this is its cost even
// when other processes share the cores (wall time then also counts the waits for a core).
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

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

// The virtual clock against the real one, in the same run: simulated requests per second of
// CPU (8 nodes, round robin, LRU, exponential service, open loop at 10,000 req/s — the model
// doing real work: keys, cache, queues, histograms) over the real-thread engine's --max
// throughput on the same machine at the same moment (counter `ratio_to_real_max`).
void BM_SimulatorVsRealMax(benchmark::State& state) {
  Scenario sim;
  sim.nodes = default_nodes(8);
  sim.workload.rate = 10'000;
  sim.workload.requests = static_cast<std::uint64_t>(state.range(0));
  sim.workload.keys.kind = KeyPopularity::Kind::zipf;
  sim.workload.keys.zipf_s = 0.9;
  Scenario real;
  real.nodes = default_nodes(8);
  real.cache_policy = "none";
  real.service.hit_us = real.service.miss_us = 0;
  real.workload.mode = Workload::Mode::max;
  real.workload.requests = 1'000'000;
  double simulated = 0, sim_seconds = 0, sim_cpu_seconds = 0, real_requests = 0, real_seconds = 0, virtual_seconds = 0;
  for (auto _ : state) {
    Simulator s(sim);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_seconds();
    const RunReport r = s.run_to_end();
    sim_cpu_seconds += thread_cpu_seconds() - cpu0;
    sim_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    simulated += static_cast<double>(r.completed);
    virtual_seconds += r.elapsed_s;
    Engine e(real);
    e.start();
    e.wait();
    const RunReport rr = e.report();
    real_requests += static_cast<double>(rr.completed);
    real_seconds += rr.elapsed_s;
  }
  const double sim_rps = simulated / sim_seconds, real_rps = real_requests / real_seconds;
  state.counters["sim_requests_per_s"] = sim_rps;
  state.counters["sim_requests_per_cpu_s"] = simulated / sim_cpu_seconds;
  state.counters["real_max_requests_per_s"] = real_rps;
  state.counters["ratio_to_real_max"] = sim_rps / real_rps;
  state.counters["virtual_s_per_s"] = virtual_seconds / sim_seconds;
}

BENCHMARK(BM_SimulatorVsRealMax)->Arg(4'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace loadlab
