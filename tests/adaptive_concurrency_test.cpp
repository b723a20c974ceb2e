// The adaptive concurrency limiter (model/gradient_controller.h, Envoy's gradient controller):
// its arithmetic step by step, then on the virtual clock where it settles under overload,
// how it grows back when the load falls, the goodput it keeps, and the books on both clocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/engine.h"
#include "model/gradient_controller.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

constexpr std::int64_t kMs = 1'000'000;

AdaptiveConcurrencyConfig small_config() {
  AdaptiveConcurrencyConfig c;
  c.enabled = true;
  c.request_count = 2;
  c.jitter = 0;
  return c;
}

TEST(GradientController, MeasuresMinRttFirstThenFollowsTheGradient) {
  GradientController g(small_config(), 1);
  // At the start: a minRTT window, the limit pinned to min_concurrency (3).
  EXPECT_TRUE(g.in_min_rtt_window());
  EXPECT_EQ(g.concurrency_limit(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(g.forward(0));
  EXPECT_FALSE(g.forward(0));
  EXPECT_EQ(g.blocked(), 1u);
  // Two answers of 1 ms complete the measurement: minRTT = 1 ms, the window is over.
  g.record_latency(0, 1 * kMs);
  EXPECT_TRUE(g.in_min_rtt_window());
  g.record_latency(0, 1 * kMs);
  EXPECT_FALSE(g.in_min_rtt_window());
  EXPECT_EQ(g.min_rtt_ns(), 1 * kMs);
  EXPECT_EQ(g.concurrency_limit(), 3u);
  // One more answer of 1 ms in the sample window (due 100 ms after the measurement ended).
  g.record_latency(0, 1 * kMs);
  EXPECT_EQ(g.outstanding(), 0u);
  EXPECT_TRUE(g.forward(100 * kMs));  // not yet due: 101 ms
  EXPECT_EQ(g.concurrency_limit(), 3u);
  g.cancel_latency_sample();
  // At 101 ms: sampleRTT 1 ms, gradient = 1 × 1.25 / 1 = 1.25; 3 × 1.25 = 3.75, plus
  // sqrt(3.75) = 1.94 of headroom: floor(5.69) = 5.
  EXPECT_TRUE(g.forward(101 * kMs));
  EXPECT_EQ(g.sample_rtt_ns(), 1 * kMs);
  EXPECT_EQ(g.concurrency_limit(), 5u);
  // Answers of 2 ms (the window's median): gradient 0.625; 5 × 0.625 = 3.125 + 1.77 = floor 4.89.
  g.record_latency(150 * kMs, 152 * kMs);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(g.forward(160 * kMs));
    g.record_latency(160 * kMs, 162 * kMs);
  }
  EXPECT_TRUE(g.forward(201 * kMs));
  EXPECT_EQ(g.sample_rtt_ns(), 2 * kMs);
  EXPECT_EQ(g.concurrency_limit(), 4u);
  // A window's percentile is the nearest rank: the median of 1, 3 and 9 ms is 3 ms: gradient
  // 1.25 / 3 = 0.417, clamped to 0.5: 4 × 0.5 = 2 + 1.41 = 3.41: floor 3 (= min_concurrency).
  for (std::int64_t ms : {1, 9, 3}) {
    ASSERT_TRUE(g.forward(210 * kMs));
    g.record_latency(210 * kMs, (210 + ms) * kMs);
  }
  g.cancel_latency_sample();
  EXPECT_TRUE(g.forward(301 * kMs));
  EXPECT_EQ(g.sample_rtt_ns(), 3 * kMs);
  EXPECT_EQ(g.concurrency_limit(), 3u);
  g.cancel_latency_sample();
}

TEST(GradientController, FiveWindowsAtTheMinimumMeasureMinRttAgain) {
  GradientController g(small_config(), 1);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(g.forward(0));
    g.record_latency(0, 1 * kMs);
  }
  ASSERT_FALSE(g.in_min_rtt_window());
  // Every window's answers take 10 ms: the limit falls to 3 and stays there. The fifth window
  // in a row at the minimum starts a new minRTT measurement at once.
  std::int64_t t = 1 * kMs;
  int windows = 0;
  while (!g.in_min_rtt_window() && windows < 20) {
    ASSERT_TRUE(g.forward(t));
    g.record_latency(t, t + 10 * kMs);
    t += 100 * kMs;
    ++windows;
    g.forward(t);  // runs the window's timer
    g.cancel_latency_sample();
  }
  EXPECT_TRUE(g.in_min_rtt_window());
  EXPECT_EQ(g.concurrency_limit(), 3u);
  EXPECT_EQ(windows, 5);
  // Answers of requests sent before the new window are not minRTT samples.
  const std::uint64_t measured = g.min_rtt_windows();
  ASSERT_TRUE(g.forward(t));
  ASSERT_TRUE(g.forward(t));
  g.record_latency(0, t + 1 * kMs);
  g.record_latency(0, t + 1 * kMs);
  EXPECT_EQ(g.min_rtt_windows(), measured);
}

TEST(GradientController, MinRttIsMeasuredAgainAfterTheIntervalWithItsJitter) {
  AdaptiveConcurrencyConfig c = small_config();
  c.min_rtt_calc_interval_ms = 1000;
  c.jitter = 10;
  GradientController g(c, 7);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(g.forward(0));
    g.record_latency(0, 1 * kMs);
  }
  // Due between 1 ms + 1000 ms and 1 ms + 1100 ms.
  ASSERT_TRUE(g.forward(1000 * kMs));
  g.cancel_latency_sample();
  EXPECT_FALSE(g.in_min_rtt_window());
  g.forward(1101 * kMs);
  EXPECT_TRUE(g.in_min_rtt_window());
}

// Four nodes of two slots at 1 ms per request: 8,000 req/s, and latency starts to rise once
// more than 8 requests are outstanding.
Scenario cluster(double rate, double duration_s) {
  Scenario s;
  s.nodes = default_nodes(4);
  for (NodeSpec& n : s.nodes) n.slots = 2;
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::fixed;
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.rate = rate;
  s.workload.requests = 0;
  s.workload.duration_s = duration_s;
  s.clock = Scenario::Clock::virtual_time;
  s.interval_ms = 100;
  s.adaptive_concurrency.enabled = true;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

TEST(AdaptiveConcurrency, SettlesNearTheSlotsUnderOverloadAndGrowsBackWhenTheLoadFalls) {
  // 2x overload for 20 s, then half the capacity for 10 s. The fixed point of the gradient
  // with 8 slots busy and L outstanding (sampleRTT ~ L/8 ms): L = 1.25 × 8 + sqrt(10) = 13.2.
  // Band stated: the median limit of the last 15 s of overload within [8, 16] (from the
  // slots to the fixed point plus the window's noise), and 90% of the intervals within [6, 20]
  // (the minRTT windows pin it at 3 for a few ms, and Poisson arrivals move the samples).
  Scenario s = cluster(16'000, 30);
  s.workload.rate_schedule.points = {{0, 16'000}, {20, 4'000}};
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  std::vector<double> overload, low;
  for (const Snapshot& snap : snapshots) {
    if (snap.t_ms > 5'000 && snap.t_ms <= 20'000) overload.push_back(snap.concurrency_limit);
    if (snap.t_ms > 25'000 && snap.t_ms <= 30'000) low.push_back(snap.concurrency_limit);
  }
  ASSERT_FALSE(overload.empty());
  const double settled = median(overload);
  EXPECT_GE(settled, 8);
  EXPECT_LE(settled, 16);
  const auto inside = std::count_if(overload.begin(), overload.end(), [](double l) { return l >= 6 && l <= 20; });
  EXPECT_GE(static_cast<double>(inside), 0.9 * static_cast<double>(overload.size()));
  // When the load falls, the answers come back at minRTT: the gradient is 1.25 and the limit
  // grows every window to the ceiling (1000 by default).
  ASSERT_FALSE(low.empty());
  EXPECT_GE(median(low), 4 * settled);
  EXPECT_GT(r.failed.concurrency_limited, 0u);
  EXPECT_EQ(r.failed.total(), r.failed.concurrency_limited);
}

TEST(AdaptiveConcurrency, KeepsGoodputNearCapacityUnderTwiceTheLoadWhereFifoKeepsNone) {
  // 2x overload, Poisson arrivals and exponential service (the README's figures), a 50 ms
  // deadline, 20 s. Capacity 8,000 req/s.
  Scenario s = cluster(16'000, 20);
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.deadline_ms = 50;
  std::vector<Snapshot> snapshots;
  const RunReport limited = test::simulate_checked(s, snapshots);
  EXPECT_GE(limited.total.goodput_rps, 0.8 * 8000) << limited.total.goodput_rps;
  EXPECT_GT(limited.failed.concurrency_limited, 0u);
  EXPECT_LT(limited.total.p99_us, 50'000.0);

  s.adaptive_concurrency.enabled = false;
  snapshots.clear();
  const RunReport fifo = test::simulate_checked(s, snapshots);
  EXPECT_LT(fifo.total.goodput_rps, 0.1 * 8000) << fifo.total.goodput_rps;
  EXPECT_EQ(fifo.failed.total(), 0u);
}

TEST(AdaptiveConcurrency, TheSameSeedGivesTheSameRun) {
  Scenario s = cluster(16'000, 3);
  std::vector<Snapshot> a, b;
  const RunReport ra = test::simulate_checked(s, a);
  const RunReport rb = test::simulate_checked(s, b);
  EXPECT_EQ(ra.failed.concurrency_limited, rb.failed.concurrency_limited);
  EXPECT_EQ(ra.completed, rb.completed);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].concurrency_limit, b[i].concurrency_limit);
}

TEST(AdaptiveConcurrency, WorksWithBreakersAndRetriesAndTheBooksBalance) {
  // Limiter, breakers and a node killed with retries, on the virtual clock: every request
  // is completed or failed once, with its reason.
  Scenario s = cluster(16'000, 5);
  s.circuit_breakers.max_pending = 4;
  s.retry.max_retries = 1;
  s.faults.push_back(FaultEvent{2.0, 1, FaultEvent::Action::kill});
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_GT(r.failed.concurrency_limited, 0u);
}

TEST(AdaptiveConcurrency, RealClockBlocksTheExcessAndBalancesTheBooks) {
  Scenario s = cluster(16'000, 1.0);
  s.clock = Scenario::Clock::real;
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  test::expect_snapshots_balance(recorder.snapshots);
  EXPECT_GT(r.failed.concurrency_limited, 0u);
  EXPECT_GT(recorder.snapshots.back().concurrency_limit, 0u);
}

TEST(AdaptiveConcurrency, ScenarioBlockTurnsItOnAndBadParametersNameTheField) {
  const Scenario s = parse_scenario(R"({"adaptive_concurrency": {"min_concurrency": 4, "buffer": 10}})");
  EXPECT_TRUE(s.adaptive_concurrency.enabled);
  EXPECT_EQ(s.adaptive_concurrency.min_concurrency, 4u);
  EXPECT_DOUBLE_EQ(s.adaptive_concurrency.buffer, 10.0);
  const Scenario again = parse_scenario(scenario_to_json(s));
  EXPECT_TRUE(again.adaptive_concurrency.enabled);
  EXPECT_EQ(again.adaptive_concurrency.min_concurrency, 4u);
  EXPECT_FALSE(parse_scenario(R"({"adaptive_concurrency": {"enabled": false}})").adaptive_concurrency.enabled);
  EXPECT_FALSE(Scenario{}.adaptive_concurrency.enabled);
  auto problem = [](const std::string& text) {
    try {
      Scenario bad = parse_scenario(text);
      validate(bad);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::pair<const char*, const char*> cases[] = {
      {R"({"adaptive_concurrency": {"min_concurrency": 0}})", "adaptive_concurrency.min_concurrency"},
      {R"({"adaptive_concurrency": {"min_concurrency": -2}})", "adaptive_concurrency.min_concurrency"},
      {R"({"adaptive_concurrency": {"min_concurrency": 2.5}})", "adaptive_concurrency.min_concurrency"},
      {R"({"adaptive_concurrency": {"max_concurrency_limit": 2}})", "adaptive_concurrency.max_concurrency_limit"},
      {R"({"adaptive_concurrency": {"buffer": -1}})", "adaptive_concurrency.buffer"},
      {R"({"adaptive_concurrency": {"jitter": 101}})", "adaptive_concurrency.jitter"},
      {R"({"adaptive_concurrency": {"sample_aggregate_percentile": 0}})",
       "adaptive_concurrency.sample_aggregate_percentile"},
      {R"({"adaptive_concurrency": {"concurrency_update_interval_ms": 0}})",
       "adaptive_concurrency.concurrency_update_interval_ms"},
      {R"({"adaptive_concurrency": {"min_rtt_calc_interval_ms": 1e12}})",
       "adaptive_concurrency.min_rtt_calc_interval_ms"},
      {R"({"adaptive_concurrency": {"request_count": 0}})", "adaptive_concurrency.request_count"},
      {R"({"adaptive_concurrency": {"limit": 5}})", "adaptive_concurrency.limit"},
      {R"({"adaptive_concurrency": {"enabled": "yes"}})", "adaptive_concurrency.enabled"},
  };
  for (const auto& [text, field] : cases) {
    const std::string p = problem(text);
    EXPECT_NE(p.find(field), std::string::npos) << text << " -> " << p;
  }
}

}  // namespace
}  // namespace loadlab
