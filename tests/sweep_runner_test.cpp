// Replication statistics checked against hand computations, and the sweep runner: results
// in grid order whatever the thread count, identical bytes run after run, shards that add up
// to the whole, cancel that keeps only whole points, and the warm-up left out of the report.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "engine/engine.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"
#include "sim/simulator.h"
#include "sweep/replication_stats.h"
#include "sweep/sweep_csv.h"
#include "sweep/sweep_runner.h"

namespace loadlab {
namespace {

TEST(ReplicationStats, StudentQuantilesMatchTheTable) {
  // t(0.975, df) from any statistics table.
  EXPECT_NEAR(student_t_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(student_t_975(2), 4.3027, 1e-4);
  EXPECT_NEAR(student_t_975(4), 2.7764, 1e-4);
  EXPECT_NEAR(student_t_975(9), 2.2622, 1e-4);
  EXPECT_NEAR(student_t_975(29), 2.0452, 1e-4);
  EXPECT_NEAR(student_t_975(100000), 1.95997, 1e-4);
  EXPECT_TRUE(std::isnan(student_t_975(0)));
}

TEST(ReplicationStats, MeanAndHalfWidthByHand) {
  // 10, 12, 14, 16, 18: mean 14; squared deviations 16+4+0+4+16 = 40, s² = 40/4 = 10,
  // s = 3.16228; half-width t(0.975, 4) · s / √5 = 2.776445 · 1.414214 = 3.926486.
  const std::vector<double> v{10, 12, 14, 16, 18};
  const ReplicationSummary r = summarize_replications(v);
  EXPECT_EQ(r.n, 5u);
  EXPECT_DOUBLE_EQ(r.mean, 14);
  EXPECT_NEAR(r.stddev, 3.1622777, 1e-6);
  EXPECT_NEAR(r.ci95, 3.9264863, 1e-6);
  // 0.91, 0.87, 0.95: mean 0.91, s = 0.04, half-width 4.302653 · 0.04 / √3 = 0.0993655.
  const std::vector<double> h{0.91, 0.87, 0.95};
  EXPECT_NEAR(summarize_replications(h).mean, 0.91, 1e-12);
  EXPECT_NEAR(summarize_replications(h).ci95, 0.0993655, 1e-6);
}

TEST(ReplicationStats, NaNsLeftOutOneValueHasNoIntervalEqualValuesNoSpread) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> with_nan{10, nan, 12, 14, 16, 18};
  EXPECT_EQ(summarize_replications(with_nan).n, 5u);
  EXPECT_NEAR(summarize_replications(with_nan).ci95, 3.9264863, 1e-6);
  const std::vector<double> one{7};
  EXPECT_EQ(summarize_replications(one).mean, 7);
  EXPECT_TRUE(std::isnan(summarize_replications(one).ci95));
  const std::vector<double> none{nan, nan};
  EXPECT_TRUE(std::isnan(summarize_replications(none).mean));
  const std::vector<double> same{0.1, 0.1, 0.1};
  EXPECT_EQ(summarize_replications(same).mean, 0.1);
  EXPECT_EQ(summarize_replications(same).ci95, 0.0);
}

Scenario small_cluster() {
  Scenario s;
  s.clock = Scenario::Clock::virtual_time;
  s.nodes = default_nodes(3);
  s.workload.requests = 3000;
  s.workload.rate = 2000;
  s.seed = 11;
  return s;
}

SweepDefinition rate_by_balancer(unsigned seeds = 3) {
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=1000:3000:1000"));
  d.parameters.push_back(parse_sweep_parameter("balancer=round-robin,p2c"));
  d.seeds = seeds;
  return d;
}

std::string sweep_csv(const Scenario& base, const SweepDefinition& d, unsigned threads, Shard shard = {}) {
  SweepRunner runner(base, d, plan_sweep(base, d, shard), threads);
  std::string text = sweep_csv_header(d);
  for (const PointResult& p : runner.run()) text += sweep_csv_row(d, p);
  return text;
}

TEST(SweepRunner, SameSweepSameBytesAtAnyThreadCount) {
  const Scenario base = small_cluster();
  const SweepDefinition d = rate_by_balancer();
  const std::string one = sweep_csv(base, d, 1);
  EXPECT_EQ(one, sweep_csv(base, d, 1));
  EXPECT_EQ(one, sweep_csv(base, d, 2));
  EXPECT_EQ(one, sweep_csv(base, d, 5));
  // 6 points and a header; varied columns in grid order.
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 7);
  EXPECT_NE(one.find("\n0,1000,round-robin,3,0,"), std::string::npos) << one;
  EXPECT_NE(one.find("\n5,3000,p2c,3,0,"), std::string::npos) << one;
}

TEST(SweepRunner, ShardsMergedAreTheWholeSweep) {
  const Scenario base = small_cluster();
  const SweepDefinition d = rate_by_balancer(2);
  const std::string whole = sweep_csv(base, d, 2);
  std::vector<std::string> files;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string file = (std::filesystem::temp_directory_path() /
                              ("loadlab_shard_" + std::to_string(getpid()) + "_" + std::to_string(i) + ".csv"))
                                 .string();
    std::ofstream(file, std::ios::binary) << sweep_csv(base, d, 1, Shard{i, 3});
    files.push_back(file);
  }
  // In any order of the files.
  std::swap(files[0], files[2]);
  EXPECT_EQ(merge_sweep_csvs(files), whole);
  files.push_back(files[0]);
  EXPECT_THROW(merge_sweep_csvs(files), std::runtime_error);  // a point twice
  for (const std::string& f : files) std::filesystem::remove(f);
}

TEST(SweepRunner, ShardsRunsCsvAndJsonMergedAreTheWholeSweeps) {
  const Scenario base = small_cluster();
  const SweepDefinition d = rate_by_balancer(2);
  const auto temp = [](const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("loadlab_merge_" + std::to_string(getpid()) + "_" + name))
        .string();
  };
  auto run = [&](Shard shard) {
    SweepRunner runner(base, d, plan_sweep(base, d, shard), 1);
    return runner.run();
  };
  const std::vector<PointResult> all = run({});
  write_sweep_runs_csv(temp("whole.runs.csv"), d, all);
  write_sweep_json(temp("whole.json"), d, all);
  std::vector<std::string> runs, jsons;
  for (std::size_t i = 0; i < 4; ++i) {  // 6 points in 4 shards: two of them hold one point
    const std::vector<PointResult> part = run({i, 4});
    runs.push_back(temp(std::to_string(i) + ".runs.csv"));
    jsons.push_back(temp(std::to_string(i) + ".json"));
    write_sweep_runs_csv(runs.back(), d, part);
    write_sweep_json(jsons.back(), d, part);
  }
  std::swap(runs[0], runs[3]);
  std::swap(jsons[1], jsons[2]);
  const std::string merged_runs = merge_sweep_csvs(runs);
  EXPECT_EQ(std::count(merged_runs.begin(), merged_runs.end(), '\n'), 1 + 6 * 2);
  std::ifstream whole_runs(temp("whole.runs.csv"), std::ios::binary), whole_json(temp("whole.json"), std::ios::binary);
  EXPECT_EQ(merged_runs, std::string(std::istreambuf_iterator<char>(whole_runs), {}));
  EXPECT_EQ(merge_sweep_jsons(jsons), std::string(std::istreambuf_iterator<char>(whole_json), {}));
  // A shard given twice, or left out.
  EXPECT_THROW(merge_sweep_csvs({runs[0], runs[1], runs[2], runs[3], runs[0]}), std::runtime_error);
  EXPECT_THROW(merge_sweep_jsons({jsons[0], jsons[1], jsons[0]}), std::runtime_error);
  try {
    merge_sweep_jsons({jsons[0], jsons[2], jsons[3]});  // leaves out shard 2 (jsons[1] after the swap)
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is missing"), std::string::npos) << e.what();
  }
  // A JSON of another sweep.
  SweepDefinition other = d;
  other.seeds = 3;
  write_sweep_json(temp("other.json"), other, run({1, 4}));
  EXPECT_THROW(merge_sweep_jsons({jsons[0], temp("other.json")}), std::runtime_error);
  for (const auto& f : {temp("whole.runs.csv"), temp("whole.json"), temp("other.json")}) std::filesystem::remove(f);
  for (const auto& f : runs) std::filesystem::remove(f);
  for (const auto& f : jsons) std::filesystem::remove(f);
}

TEST(SweepCsv, MeansReadBackAreTheRunnersToNineDigitsWhateverTheParameterCells) {
  const Scenario base = small_cluster();
  SweepDefinition d;
  // A categorical value with a comma and a quote is quoted in the CSV; reading from the right
  // must not care.
  d.parameters.push_back(parse_sweep_parameter("rate=1000,2000"));
  d.seeds = 2;
  SweepRunner runner(base, d, plan_sweep(base, d), 1);
  const std::vector<PointResult> results = runner.run();
  std::string text = sweep_csv_header(d);
  for (const PointResult& p : results) text += sweep_csv_row(d, p);
  const std::vector<SweepCsvMeans> rows = read_sweep_csv_means(text);
  ASSERT_EQ(rows.size(), results.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].point, results[i].point.index);
    for (std::size_t m = 0; m < kRunMetricCount; ++m) {
      const double expected = results[i].summary[m].mean;
      if (std::isnan(expected))
        EXPECT_TRUE(std::isnan(rows[i].means[m])) << kRunMetrics[m].name;
      else
        EXPECT_NEAR(rows[i].means[m], expected, 1e-8 * std::abs(expected)) << kRunMetrics[m].name;
    }
  }
  // A quoted parameter cell with commas in it changes nothing.
  std::string quoted = text;
  const std::size_t row = quoted.find("\n0,1000,") + 1;
  quoted.replace(row, 6, "0,\"a,\"\"b\"");  // 0,"a,""b" for 0,1000
  const std::vector<SweepCsvMeans> again = read_sweep_csv_means(quoted);
  ASSERT_EQ(again.size(), rows.size());
  EXPECT_EQ(again[0].point, 0u);
  EXPECT_EQ(again[0].means[run_metric_index("mean_us")], rows[0].means[run_metric_index("mean_us")]);
  // Not a sweep CSV, or a cell that is not a number.
  EXPECT_THROW(read_sweep_csv_means("point,rate\n0,1\n"), std::runtime_error);
  std::string broken = text;
  // The last row's offered_rho (the cell before its _ci95).
  broken.replace(broken.rfind(',', broken.rfind(',') - 1) + 1, 0, "x");
  EXPECT_THROW(read_sweep_csv_means(broken), std::runtime_error);
}

// A shard on another machine runs the scenario from the JSON the Slurm executor wrote
// (scenario_to_json): every preset's sweep must come out the same through it, byte for byte.
TEST(SweepRunner, EveryPresetThroughItsJsonRunsTheSameSweep) {
  std::size_t presets = 0;
  for (const auto& entry : std::filesystem::directory_iterator(LOADLAB_PRESETS_DIR)) {
    Scenario s = load_scenario(entry.path());
    s.clock = Scenario::Clock::virtual_time;
    s.workload.requests = 1500;
    s.workload.duration_s = 0;
    validate(s);
    const Scenario again = parse_scenario(scenario_to_json(s));
    SweepDefinition d;
    d.parameters.push_back(parse_sweep_parameter("balancer=round-robin,least-connections"));
    d.seeds = 1;
    EXPECT_EQ(sweep_csv(s, d, 2), sweep_csv(again, d, 2)) << entry.path();
    ++presets;
  }
  EXPECT_GE(presets, 8u);
}

TEST(SweepRunner, ReplicationZeroIsTheRunItself) {
  // A point's first replication is the scenario at that point with its own seed, figure for
  // figure what a Simulator run of it reports.
  const Scenario base = small_cluster();
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=1500"));
  d.seeds = 2;
  SweepRunner runner(base, d, plan_sweep(base, d), 1);
  const std::vector<PointResult> results = runner.run();
  ASSERT_EQ(results.size(), 1u);
  Scenario direct = base;
  direct.workload.rate = 1500;
  Simulator sim(direct);
  TickFigures ticks;
  sim.subscribe([&ticks](const Snapshot& s) { ticks.add(s); });
  const RunReport report = sim.run_to_end();
  const RunMetricValues expected = compute_run_metrics(direct, report, ticks);
  for (std::size_t m = 0; m < kRunMetricCount; ++m)
    if (std::isnan(expected[m]))
      EXPECT_TRUE(std::isnan(results[0].runs[0][m])) << kRunMetrics[m].name;
    else
      EXPECT_EQ(results[0].runs[0][m], expected[m]) << kRunMetrics[m].name;
  EXPECT_EQ(results[0].seeds[0], 11u);
  EXPECT_NE(results[0].runs[1][run_metric_index("mean_us")], expected[run_metric_index("mean_us")]);
}

TEST(SweepRunner, MetricsAreThoseOfTheReport) {
  const Scenario base = small_cluster();
  Scenario fine = base;
  fine.interval_ms = 10;
  fine.workload.requests *= 10;  // 1500 ticks to sample the in-flight count
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("balancer=round-robin"));
  d.seeds = 1;
  SweepRunner runner(fine, d, plan_sweep(fine, d), 1);
  const RunMetricValues m = runner.run().at(0).runs[0];
  auto at = [&](const char* name) { return m[run_metric_index(name)]; };
  EXPECT_EQ(at("failures"), 0);
  EXPECT_EQ(at("availability"), 1);
  EXPECT_NEAR(at("share_error"), 0, 1e-3);  // round robin: within one request of a third
  EXPECT_NEAR(at("jain"), 1, 1e-6);
  EXPECT_NEAR(at("throughput_rps"), 2000, 100);
  EXPECT_LE(at("p50_us"), at("p95_us"));
  EXPECT_LE(at("p95_us"), at("p99_us"));
  EXPECT_LE(at("p99_us"), at("p999_us"));
  // Little's law: λW and the time-average of requests in the system agree within 10% (the
  // average is of 1500 samples of the in-flight count, one per tick).
  EXPECT_NEAR(at("in_flight_mean"), at("littles_l"), 0.10 * at("littles_l"));
  EXPECT_TRUE(std::isfinite(at("theory_mean_us")));
  EXPECT_NEAR(at("theory_lru_hit_ratio"), at("hit_ratio"), 0.03);
}

TEST(SweepRunner, CancelKeepsOnlyWholePoints) {
  Scenario base = small_cluster();
  base.workload.requests = 20000;
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=1000:20000:1000"));
  d.seeds = 2;
  SweepRunner runner(base, d, plan_sweep(base, d), 2);
  std::size_t called = 0;
  runner.on_point([&](const PointResult&) {
    if (++called == 3) runner.cancel();
  });
  const std::vector<PointResult> results = runner.run();
  EXPECT_TRUE(runner.cancelled());
  EXPECT_GE(results.size(), 3u);
  EXPECT_LT(results.size(), 20u);
  for (std::size_t i = 1; i < results.size(); ++i) EXPECT_LT(results[i - 1].point.index, results[i].point.index);
  for (const PointResult& r : results) EXPECT_EQ(r.runs.size(), 2u);
}

TEST(SweepRunner, ProgressCountsEveryRun) {
  const Scenario base = small_cluster();
  const SweepDefinition d = rate_by_balancer(2);
  SweepRunner runner(base, d, plan_sweep(base, d), 2);
  SweepProgress last;
  std::size_t calls = 0;
  runner.on_progress([&](const SweepProgress& p) { last = p, ++calls; });
  runner.run();
  EXPECT_EQ(calls, 12u);
  EXPECT_EQ(last.runs_done, 12u);
  EXPECT_EQ(last.points_done, 6u);
  EXPECT_EQ(last.points_total, 6u);
}

TEST(Warmup, VirtualClockLeavesTheFirstSecondsOut) {
  // Constant arrivals at 1000/s for 10 s: a warm-up of 4 s leaves the requests that finished
  // in the last 6 s, 6000 give or take the few in service at the cut.
  Scenario s = small_cluster();
  s.workload.arrival = ArrivalKind::constant;
  s.workload.rate = 1000;
  s.workload.requests = 10000;
  s.warmup_s = 4;
  Simulator sim(s);
  const RunReport r = sim.run_to_end();
  EXPECT_NEAR(static_cast<double>(r.completed), 6000, 5);
  EXPECT_NEAR(r.elapsed_s, 6, 0.01);
  EXPECT_NEAR(r.achieved_rps, 1000, 5);
  EXPECT_EQ(r.warmup_s, 4);
  test::expect_books_balance(r);
  EXPECT_EQ(r.total.hits + r.total.misses, r.completed);
  std::uint64_t node_total = 0;
  for (const NodeSummary& n : r.nodes) node_total += n.requests;
  EXPECT_EQ(node_total, r.completed);
}

TEST(Warmup, ColdCacheHitRatioRisesWithoutTheWarmup) {
  // An LRU cache warming from empty: leaving the first seconds out raises the hit ratio
  // towards Che's steady-state value.
  Scenario s = small_cluster();
  s.workload.keys.kind = KeyPopularity::Kind::zipf;
  s.workload.keys.keys = 20000;
  s.cache_capacity = 2000;
  s.workload.requests = 20000;
  s.workload.rate = 2000;
  const RunReport cold = Simulator(s).run_to_end();
  s.warmup_s = 5;
  const RunReport warm = Simulator(s).run_to_end();
  EXPECT_GT(warm.total.hit_ratio, cold.total.hit_ratio + 0.01);
  EXPECT_LT(warm.completed, cold.completed);
}

TEST(Warmup, RunEndingInsideItsWarmupMeasuresNothing) {
  Scenario s = small_cluster();
  s.workload.requests = 100;
  s.warmup_s = 60;
  const RunReport r = Simulator(s).run_to_end();
  EXPECT_EQ(r.completed, 0u);
  EXPECT_EQ(r.issued, 0u);
}

TEST(Warmup, RealClockLeavesTheFirstSecondsOut) {
  // Real threads: constant arrivals at 2000/s for 1.5 s, warm-up 0.5 s. The cut is taken by
  // the collector within a few milliseconds of 0.5 s (a loaded machine may be later): about
  // 2000 requests remain; the bounds allow 0.2 s of slack either way.
  Scenario s = small_cluster();
  s.clock = Scenario::Clock::real;
  s.workload.arrival = ArrivalKind::constant;
  s.workload.rate = 2000;
  s.workload.requests = 3000;
  s.warmup_s = 0.5;
  s.service.miss_us = 20;
  s.service.hit_us = 5;
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  EXPECT_GT(r.completed, 1600u);
  EXPECT_LT(r.completed, 2400u);
  EXPECT_GE(r.warmup_s, 0.5);
  test::expect_books_balance(r);
}

}  // namespace
}  // namespace loadlab
