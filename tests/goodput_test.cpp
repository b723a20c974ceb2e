// Goodput: requests answered within the scenario's deadline of their intended send time,
// beside the throughput — exact where the virtual clock makes every latency known, and the
// collapse of an unbounded queue's goodput under overload.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"
#include "sweep/run_metrics.h"

namespace loadlab {
namespace {

// One node, one slot, 1 ms per request, arrivals every 0.5 ms from t = 0 on the virtual
// clock: request k arrives at 0.5k ms and, unbounded, is answered at k + 1 ms, a latency
// of 1 + 0.5k ms.
Scenario clockwork(std::uint64_t requests) {
  Scenario s;
  s.nodes = default_nodes(1);
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::fixed;
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.arrival = Workload::Arrival::constant;
  s.workload.rate = 2000;
  s.workload.requests = requests;
  s.interval_ms = 10;
  s.clock = Scenario::Clock::virtual_time;
  return s;
}

TEST(Goodput, CountsExactlyTheRequestsAnsweredWithinTheDeadline) {
  Scenario s = clockwork(10);
  s.deadline_ms = 3;  // latencies 1, 1.5, 2, 2.5, 3 are in time (the deadline itself counts); 3.5 .. 5.5 are not
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.completed, 10u);
  EXPECT_EQ(r.total.goodput, 5u);
  EXPECT_EQ(r.nodes[0].goodput, 5u);
  EXPECT_DOUBLE_EQ(r.elapsed_s, 0.010);  // the last answer, at 10 ms
  EXPECT_DOUBLE_EQ(r.total.goodput_rps, 500.0);
  EXPECT_DOUBLE_EQ(r.total.goodput_fraction, 0.5);
  EXPECT_DOUBLE_EQ(r.nodes[0].goodput_fraction, 0.5);
  EXPECT_DOUBLE_EQ(r.achieved_rps, 1000.0);  // throughput is twice the goodput
  // The snapshots' interval goodput adds up to the report's.
  double from_snapshots = 0;
  for (const Snapshot& snap : snapshots) from_snapshots += snap.goodput_rps * snap.interval_s;
  EXPECT_NEAR(from_snapshots, 5.0, 1e-9);
  const RunMetricValues m = compute_run_metrics(s, r, TickFigures{});
  EXPECT_DOUBLE_EQ(m[run_metric_index("goodput_rps")], 500.0);
  EXPECT_DOUBLE_EQ(m[run_metric_index("goodput_fraction")], 0.5);
}

TEST(Goodput, ShedRequestsCountAgainstTheFraction) {
  // With at most 2 waiting (queue_bound_test.cpp), A0, A1, A2, A3, A4, A6, A8 are served in
  // 1, 1.5, 2, 2.5, 3, 3, 3 ms and A5, A7, A9 turned away: within 2 ms, 3 of the 10 issued.
  Scenario s = clockwork(10);
  s.queue.limit = 2;
  s.deadline_ms = 2;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.total.goodput, 3u);
  EXPECT_DOUBLE_EQ(r.total.goodput_fraction, 0.3);
  EXPECT_DOUBLE_EQ(r.elapsed_s, 0.007);
  EXPECT_NEAR(r.total.goodput_rps, 3 / 0.007, 1e-9);
}

TEST(Goodput, WithoutADeadlineThereAreNoGoodputFigures) {
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(clockwork(10), snapshots);
  EXPECT_EQ(r.total.goodput, 0u);
  EXPECT_TRUE(std::isnan(r.total.goodput_rps));
  EXPECT_TRUE(std::isnan(r.total.goodput_fraction));
  EXPECT_TRUE(std::isnan(snapshots.back().goodput_rps));
}

// Four nodes of two slots at 1 ms (8,000 req/s) offered twice that for 30 s, a 50 ms deadline.
Scenario double_overload() {
  Scenario s;
  s.nodes = default_nodes(4);
  for (NodeSpec& n : s.nodes) n.slots = 2;
  s.cache_policy = "none";
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.rate = 16'000;
  s.workload.requests = 0;
  s.workload.duration_s = 30;
  s.deadline_ms = 50;
  s.clock = Scenario::Clock::virtual_time;
  return s;
}

TEST(Goodput, AnUnboundedQueueUnderDoubleOverloadAnswersAlmostNothingInTime) {
  // Unbounded, the wait grows by about half a second each second: only the first tenth of a
  // second or so is answered in time. Bounded at 20 waiting (at most ~10 ms of waiting), the
  // nodes stay busy and nearly every answer is in time: goodput near the capacity.
  std::vector<Snapshot> snapshots;
  const RunReport fifo = test::simulate_checked(double_overload(), snapshots);
  Scenario bounded = double_overload();
  bounded.queue.limit = 20;
  snapshots.clear();
  const RunReport shed = test::simulate_checked(bounded, snapshots);
  const double capacity = 8000;
  EXPECT_LT(fifo.total.goodput_rps, 0.01 * capacity) << fifo.total.goodput_rps;
  EXPECT_GT(shed.total.goodput_rps, 0.98 * capacity) << shed.total.goodput_rps;
  EXPECT_NEAR(shed.total.goodput_fraction, 0.5, 0.02);  // half the offered load is shed
}

TEST(Goodput, RealClockCountsTheSameWay) {
  // Real threads at a light load: a deadline of an hour takes every answer, one of a
  // microsecond (less than the 1 ms service) none.
  Scenario s = clockwork(200);
  s.clock = Scenario::Clock::real;
  s.workload.rate = 500;
  for (const double deadline : {3'600'000.0, 0.001}) {
    s.deadline_ms = deadline;
    Engine engine(s);
    test::SnapshotRecorder recorder;
    const RunReport r = test::run_to_end(engine, recorder);
    test::expect_books_balance(r);
    EXPECT_EQ(r.total.goodput, deadline > 1 ? r.completed : 0u) << deadline;
  }
}

TEST(Goodput, DeadlineInTheScenarioFile) {
  const Scenario s = parse_scenario(R"({"deadline_ms": 25})");
  EXPECT_DOUBLE_EQ(s.deadline_ms, 25.0);
  EXPECT_DOUBLE_EQ(parse_scenario(scenario_to_json(s)).deadline_ms, 25.0);
  EXPECT_FALSE(parse_scenario(R"({"deadline_ms": "none"})").has_deadline());
  for (const char* bad :
       {R"({"deadline_ms": 0})", R"({"deadline_ms": -5})", R"({"deadline_ms": "soon"})", R"({"deadline_ms": 1e12})"}) {
    try {
      parse_scenario(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.field(), "deadline_ms") << bad;
    }
  }
}

}  // namespace
}  // namespace loadlab
