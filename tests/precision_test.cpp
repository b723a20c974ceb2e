// --precision (issue 20): the sequential replication rule, its caps and errors, batch means.
// Fixed seeds; tolerances stated beside each check. The coverage of the intervals is
// coverage_test.cpp (its own executable: it takes minutes).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stats/batch_means.h"
#include "sweep/precision_runner.h"
#include "sweep/sweep_definition.h"

namespace loadlab {
namespace {

Scenario mm1(double rate, std::uint64_t requests) {
  Scenario s;
  s.clock = Scenario::Clock::virtual_time;
  s.nodes = default_nodes(1);
  s.cache_policy = "none";
  s.service.miss_us = 1000;
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.workload.rate = rate;
  s.workload.requests = requests;
  s.interval_ms = 100;
  return s;
}

PrecisionTarget target(double p, const char* metrics = "mean_us,hit_ratio") {
  return parse_precision_target(p, std::string(metrics), std::nullopt, std::nullopt);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(PrecisionTarget, BadInputNamesTheFlagAndTheValue) {
  for (double p : {0.0, 1.0, -0.1, 1.5, std::nan("")})
    EXPECT_NE(error_of([&] { target(p); }).find("--precision"), std::string::npos) << p;
  EXPECT_NE(error_of([] { target(0.05, "mean_us,p42_us"); }).find("--precision-of: 'p42_us' is not a metric"),
            std::string::npos);
  EXPECT_NE(error_of([] { target(0.05, ""); }).find("'' is not a metric"), std::string::npos);
  EXPECT_NE(error_of([] { parse_precision_target(0.05, std::nullopt, 0, std::nullopt); }).find("--max-requests"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_precision_target(0.05, std::nullopt, std::nullopt, 0); }).find("--max-seeds"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_precision_target(0.05, std::nullopt, std::nullopt, 1); }).find("--max-seeds"),
            std::string::npos);
  const PrecisionTarget d = parse_precision_target(0.05, std::nullopt, std::nullopt, std::nullopt);
  ASSERT_EQ(d.metrics.size(), 2u);  // the default: mean latency and hit ratio
  EXPECT_EQ(kRunMetrics[d.metrics[0]].name, "mean_us");
  EXPECT_EQ(kRunMetrics[d.metrics[1]].name, "hit_ratio");
}

TEST(PrecisionTarget, RealClockIsRefusedWithTheReason) {
  Scenario s = mm1(500, 1000);
  s.clock = Scenario::Clock::real;
  const std::string e = error_of([&] { check_precision_scenario(s); });
  EXPECT_NE(e.find("needs the virtual clock"), std::string::npos) << e;
  EXPECT_NE(e.find("cannot be repeated"), std::string::npos) << e;
}

TEST(RunToPrecision, StopsAtTheFirstReplicationCountThatMeetsTheTarget) {
  // ρ = 0.5, 5,000 requests a replication: each mean is within ~3% (1σ), so ±5% at 95% needs a
  // dozen or so. No cache: every lookup misses, hit_ratio is 0 in every replication (no spread,
  // converged at once) and does not hold the run up.
  const PrecisionTarget t = target(0.05);
  const PrecisionOutcome o = run_to_precision(mm1(500, 5000), t, 2);
  ASSERT_TRUE(o.converged) << o.stopped_by;
  EXPECT_EQ(o.stopped_by, "precision");
  const std::size_t n = o.runs.size();
  EXPECT_GE(n, kPrecisionMinSeeds);
  EXPECT_EQ(o.seeds.size(), n);
  EXPECT_EQ(o.seeds[0], 1u);  // replication 0 is the scenario's own seed
  EXPECT_EQ(o.seeds[1], replication_seed(1, 1));
  ASSERT_EQ(o.metrics.size(), 2u);
  EXPECT_TRUE(o.metrics[0].converged);
  EXPECT_TRUE(o.metrics[1].converged);
  EXPECT_EQ(o.summary[run_metric_index("hit_ratio")].ci95, 0.0);
  const ReplicationSummary& mean = o.summary[run_metric_index("mean_us")];
  EXPECT_LE(mean.ci95, 0.05 * mean.mean);
  EXPECT_NEAR(mean.mean, 2000, 3 * mean.ci95);  // M/M/1: 1/(μ − λ) = 2 ms
  EXPECT_EQ(o.requests, 5000u * n);
  if (n > kPrecisionMinSeeds) {  // one fewer did not meet it: the rule stops at the first n
    std::vector<double> fewer;
    for (std::size_t k = 0; k + 1 < n; ++k) fewer.push_back(o.runs[k][run_metric_index("mean_us")]);
    const ReplicationSummary s = summarize_replications(fewer);
    EXPECT_GT(s.ci95, 0.05 * s.mean);
  }
}

TEST(RunToPrecision, SameResultOnAnyThreadCount) {
  const PrecisionTarget t = target(0.04, "mean_us,p99_us");
  const PrecisionOutcome one = run_to_precision(mm1(700, 3000), t, 1);
  const PrecisionOutcome two = run_to_precision(mm1(700, 3000), t, 2);
  const PrecisionOutcome three = run_to_precision(mm1(700, 3000), t, 3);
  EXPECT_EQ(one.seeds, two.seeds);
  EXPECT_EQ(one.seeds, three.seeds);
  ASSERT_EQ(one.runs.size(), two.runs.size());
  for (std::size_t k = 0; k < one.runs.size(); ++k) {
    for (std::size_t m = 0; m < kRunMetricCount; ++m) {
      if (std::isnan(one.runs[k][m])) continue;
      EXPECT_EQ(one.runs[k][m], two.runs[k][m]);
      EXPECT_EQ(one.runs[k][m], three.runs[k][m]);
    }
  }
}

TEST(RunToPrecision, CapsStopItAndSaySo) {
  const PrecisionTarget seeds = parse_precision_target(0.001, std::string("mean_us"), std::nullopt, 3);
  const PrecisionOutcome a = run_to_precision(mm1(500, 2000), seeds, 2);
  EXPECT_FALSE(a.converged);
  EXPECT_EQ(a.stopped_by, "--max-seeds");
  EXPECT_EQ(a.runs.size(), 3u);
  EXPECT_EQ(a.not_converged(), std::vector<std::string>{"mean_us"});
  // 2,000 requests a replication, at most 7,000: the fourth crosses it and is the last.
  const PrecisionTarget requests = parse_precision_target(0.001, std::string("mean_us"), 7000, std::nullopt);
  const PrecisionOutcome b = run_to_precision(mm1(500, 2000), requests, 2);
  EXPECT_FALSE(b.converged);
  EXPECT_EQ(b.stopped_by, "--max-requests");
  EXPECT_EQ(b.runs.size(), 4u);
  EXPECT_EQ(b.requests, 8000u);
}

TEST(RunToPrecision, PercentilesGetIntervalsFromReplications) {
  const PrecisionOutcome o = run_to_precision(mm1(600, 4000), target(0.05, "p99_us"), 2);
  ASSERT_TRUE(o.converged);
  const ReplicationSummary& p99 = o.summary[run_metric_index("p99_us")];
  // M/M/1 response is exponential with mean 2.5 ms: p99 = 2.5 ms · ln 100 = 11.5 ms. Short
  // runs bias a p99 low a little (the start from empty); 3 half-widths and 3% for the bias.
  const double exact = 2500 * std::log(100.0);
  EXPECT_NEAR(p99.mean, exact, 3 * p99.ci95 + 0.03 * exact);
  EXPECT_LE(p99.ci95, 0.05 * p99.mean);
}

TEST(RunToPrecision, CancelStopsBetweenReplications) {
  std::atomic<bool> cancel{true};
  PrecisionHooks hooks;
  hooks.cancel = &cancel;
  const PrecisionOutcome o = run_to_precision(mm1(500, 1000), target(0.001, "mean_us"), 2, hooks);
  EXPECT_EQ(o.stopped_by, "cancelled");
  EXPECT_FALSE(o.converged);
  EXPECT_EQ(o.runs.size(), 2u);  // the first wave, then the look at the flag
}

TEST(BatchMeans, IndependentSeriesCoversItsMeanAbout95Percent) {
  // 200 series of 1,000 iid N(3, 1): the interval should contain 3 about 95% of the time;
  // Binomial(200, 0.95) is within [180, 198] with probability 0.99.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(3, 1);
  int covered = 0;
  for (int rep = 0; rep < 200; ++rep) {
    std::vector<double> x(1000);
    for (double& v : x) v = noise(rng);
    const BatchMeansInterval b = batch_means(x);
    EXPECT_EQ(b.batches, kBatchMeansBatches);
    EXPECT_EQ(b.batch_size, 50u);
    covered += std::abs(b.mean - 3) <= b.ci95;
  }
  EXPECT_GE(covered, 180);
  EXPECT_LE(covered, 198);
}

TEST(BatchMeans, TooFewObservationsHaveNoInterval) {
  const std::vector<double> x(99, 1.0);  // 20 batches need 100
  EXPECT_TRUE(std::isnan(batch_means(x).ci95));
  const std::vector<double> constant(100, 7.0);
  const BatchMeansInterval b = batch_means(constant);
  EXPECT_EQ(b.mean, 7.0);
  EXPECT_EQ(b.ci95, 0.0);
}

}  // namespace
}  // namespace loadlab
