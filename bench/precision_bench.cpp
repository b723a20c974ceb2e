// What issue 20's statistics cost the virtual clock, as a ratio in the same run: simulated
// requests per CPU second of a replication as a sweep runs it (ticks folded into the run's
// figures), against the same replication that also folds its interval series and, at its end,
// finds the MSER-5 truncation and the batch-means half-widths (stats/run_statistics.h) and
// re-judges the replications so far (the --precision stopping rule over 20 replications).
// Counter `stats_overhead` = 1 − with/without; the issue asks for at most 0.05.
//   build/dev/loadlab_bench --benchmark_filter=Precision
#include <benchmark/benchmark.h>

#include <time.h>

#include "sim/simulator.h"
#include "stats/interval_series.h"
#include "stats/run_statistics.h"
#include "sweep/replication_stats.h"
#include "sweep/run_metrics.h"

namespace loadlab {
namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void BM_PrecisionStatisticsOverhead(benchmark::State& state) {
  Scenario s;
  s.nodes = default_nodes(8);
  s.workload.rate = 10'000;
  s.workload.requests = static_cast<std::uint64_t>(state.range(0));
  s.workload.keys.kind = KeyPopularity::Kind::zipf;
  s.workload.keys.zipf_s = 0.9;
  s.interval_ms = 100;  // 1,000 requests an interval: MSER sees a few thousand intervals
  double plain_requests = 0, plain_cpu = 0, stats_requests = 0, stats_cpu = 0;
  std::vector<double> replications;  // the means so far, as the stopping rule sees them
  for (auto _ : state) {
    {  // without: what a sweep replication does
      const double cpu0 = thread_cpu_seconds();
      TickFigures ticks(s.warmup_s);
      Simulator sim(s);
      sim.subscribe([&ticks](const Snapshot& snap) { ticks.add(snap); });
      const RunReport r = sim.run_to_end();
      benchmark::DoNotOptimize(compute_run_metrics(s, r, ticks));
      plain_cpu += thread_cpu_seconds() - cpu0;
      plain_requests += static_cast<double>(r.completed);
    }
    {  // with the statistics
      const double cpu0 = thread_cpu_seconds();
      TickFigures ticks(s.warmup_s);
      IntervalSeries series;
      Simulator sim(s);
      sim.subscribe([&](const Snapshot& snap) {
        ticks.add(snap);
        series.add(snap);
      });
      const RunReport r = sim.run_to_end();
      const RunMetricValues m = compute_run_metrics(s, r, ticks);
      const RunStatistics st = run_statistics(series);
      benchmark::DoNotOptimize(st.warmup_s);
      replications.push_back(m[run_metric_index("mean_us")]);
      if (replications.size() > 20) replications.erase(replications.begin());
      for (std::size_t n = 2; n <= replications.size(); ++n)
        benchmark::DoNotOptimize(summarize_replications(std::span<const double>(replications).first(n)));
      stats_cpu += thread_cpu_seconds() - cpu0;
      stats_requests += static_cast<double>(r.completed);
    }
  }
  const double plain = plain_requests / plain_cpu, with = stats_requests / stats_cpu;
  state.counters["plain_requests_per_cpu_s"] = plain;
  state.counters["stats_requests_per_cpu_s"] = with;
  state.counters["stats_overhead"] = 1 - with / plain;
}

BENCHMARK(BM_PrecisionStatisticsOverhead)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace loadlab
