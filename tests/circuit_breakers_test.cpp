// Envoy's circuit breakers (model/circuit_breakers.h) on both clocks: exact sequences where
// the virtual clock makes them deterministic, the limits never exceeded under overload, every
// rejection counted with reason overflow, and the books balanced.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "engine/engine.h"
#include "model/circuit_breakers.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

using Resource = CircuitBreakers::Resource;

// `nodes` nodes of one slot, every request exactly `service_us`, arrivals exactly 1/rate apart
// from t = 0, round robin: each event's time is known in advance, so each request's fate is too.
Scenario clockwork(std::size_t nodes, double rate, double service_us, std::uint64_t requests) {
  Scenario s;
  s.nodes = default_nodes(nodes);
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::fixed;
  s.service.hit_us = s.service.miss_us = service_us;
  s.workload.arrival = Workload::Arrival::constant;
  s.workload.rate = rate;
  s.workload.requests = requests;
  s.interval_ms = 10;
  s.clock = Scenario::Clock::virtual_time;
  return s;
}

TEST(CircuitBreakers, AcquireNeverGoesPastTheLimitAndCountsRefusals) {
  CircuitBreakers b(CircuitBreakerLimits{2, CircuitBreakerLimits::kOff, 1});
  EXPECT_TRUE(b.try_acquire(Resource::pending));
  EXPECT_TRUE(b.try_acquire(Resource::pending));
  EXPECT_FALSE(b.try_acquire(Resource::pending));
  EXPECT_EQ(b.in_use(Resource::pending), 2u);
  EXPECT_EQ(b.overflows(Resource::pending), 1u);
  b.release(Resource::pending);
  EXPECT_TRUE(b.try_acquire(Resource::pending));
  EXPECT_EQ(b.peak(Resource::pending), 2u);
  // A resource without a limit is not counted at all.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.try_acquire(Resource::requests));
  EXPECT_FALSE(b.limited(Resource::requests));
  EXPECT_EQ(b.in_use(Resource::requests), 0u);
  EXPECT_TRUE(b.try_acquire(Resource::retries));
  EXPECT_FALSE(b.try_acquire(Resource::retries));
}

TEST(CircuitBreakers, AcquireFromManyThreadsNeverPassesTheLimit) {
  // The real engine's node threads share the breakers: the compare-and-swap keeps the count
  // at or below the limit whatever the interleaving.
  CircuitBreakers b(CircuitBreakerLimits{CircuitBreakerLimits::kOff, 7, CircuitBreakerLimits::kOff});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&b] {
      for (int i = 0; i < 20'000; ++i)
        if (b.try_acquire(Resource::requests)) b.release(Resource::requests);
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(b.peak(Resource::requests), 7u);
  EXPECT_EQ(b.in_use(Resource::requests), 0u);
}

TEST(CircuitBreakers, MaxRequestsRejectsExactlyTheRequestsThatFindTheClusterFull) {
  // One node, one slot, 1 ms per request every 0.5 ms, at most 3 outstanding (waiting or in
  // service). By hand: A0 is served at once; A1..A4 wait their turn; from then on three are
  // outstanding whenever an arrival finds the server just restarted, so A5, A7 and A9
  // overflow — the sequence of a queue limit of 2 on this one node (queue_bound_test.cpp).
  Scenario s = clockwork(1, 2000, 1000, 10);
  s.circuit_breakers.max_requests = 3;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.completed, 7u);
  EXPECT_EQ(r.failed.overflow, 3u);
  EXPECT_EQ(r.failed.total(), 3u);
  EXPECT_EQ(r.nodes[0].failed_overflow, 3u);
  EXPECT_EQ(r.total.failed_overflow, 3u);
  EXPECT_DOUBLE_EQ(r.total.max_us, 3000.0);
  EXPECT_NEAR(r.total.mean_us, 16000.0 / 7.0, 1e-6);
  for (const Snapshot& snap : snapshots) EXPECT_LE(snap.in_flight, 3u);
  // The dispatcher's peak counts a request as it is sent, before the breaker turns it away.
  EXPECT_LE(r.peak_in_flight, 4u);
}

TEST(CircuitBreakers, MaxPendingCountsTheWholeClustersQueues) {
  // Two nodes of one slot, round robin, 1 ms per request every 0.25 ms, at most one request
  // waiting in the whole cluster. By hand: A0 (n0) and A1 (n1) are served at once; A2 waits
  // at n0; A3 would wait at n1, whose own queue is empty, but one request already waits in
  // the cluster: overflow. At 1 ms n0 takes A2 and A4 waits; at 1.25 ms n1 is free for A5;
  // A6 (n0) and A7 (n1) find A4 waiting: overflow. A per-node limit of 1 would have kept A3.
  Scenario s = clockwork(2, 4000, 1000, 8);
  s.circuit_breakers.max_pending = 1;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.completed, 5u);
  EXPECT_EQ(r.failed.overflow, 3u);
  EXPECT_EQ(r.nodes[0].failed_overflow, 1u);  // A6
  EXPECT_EQ(r.nodes[1].failed_overflow, 2u);  // A3, A7
  // Latencies A0 1, A1 1, A2 1.5, A4 2, A5 1 ms.
  EXPECT_DOUBLE_EQ(r.total.max_us, 2000.0);
  EXPECT_NEAR(r.total.mean_us, 1300.0, 1e-6);
  for (const Snapshot& snap : snapshots) EXPECT_LE(snap.nodes[0].queue_length + snap.nodes[1].queue_length, 1u);

  Scenario per_node = clockwork(2, 4000, 1000, 8);
  per_node.queue.limit = 1;
  const RunReport q = test::simulate_checked(per_node, snapshots);
  EXPECT_EQ(q.failed.queue_full, 2u);  // A6 and A7 only: each node's own queue holds one
}

TEST(CircuitBreakers, MaxRetriesLetsOneRetryGoAndTurnsTheOthersAway) {
  // Two nodes of one slot, round robin, 1 ms per request every 0.25 ms, nine requests; node
  // 0 dies at 2.1 ms holding A4 (in service since 2 ms), A6 and A8 (waiting). With a retry
  // allowed per request, all three go to node 1; with max_retries 1, A6 takes the one retry
  // and A8 and A4 overflow (the queue is dropped first, then the slot).
  Scenario s = clockwork(2, 4000, 1000, 9);
  s.retry.max_retries = 1;
  s.faults.push_back(FaultEvent{0.0021, 0, FaultEvent::Action::kill});
  std::vector<Snapshot> snapshots;
  const RunReport unlimited = test::simulate_checked(s, snapshots);
  EXPECT_EQ(unlimited.retries, 3u);
  EXPECT_EQ(unlimited.completed, 9u);

  s.circuit_breakers.max_retries = 1;
  snapshots.clear();
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.retries, 1u);
  EXPECT_EQ(r.failed.overflow, 2u);
  EXPECT_EQ(r.nodes[0].failed_overflow, 2u);  // counted where the request failed
  EXPECT_EQ(r.failed.node_down, 0u);
  EXPECT_EQ(r.completed, 7u);
}

// Four nodes of two slots at 1 ms per request (8,000 req/s in all) offered three times that.
Scenario triple_overload(double duration_s, Scenario::Clock clock) {
  Scenario s;
  s.nodes = default_nodes(4);
  for (NodeSpec& n : s.nodes) n.slots = 2;
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.rate = 24'000;
  s.workload.requests = 0;
  s.workload.duration_s = duration_s;
  s.clock = clock;
  s.interval_ms = 100;
  s.circuit_breakers.max_requests = 16;
  s.circuit_breakers.max_pending = 6;
  return s;
}

TEST(CircuitBreakers, VirtualClockNeverHoldsMoreThanTheLimitsUnderTripleOverload) {
  const Scenario s = triple_overload(60, Scenario::Clock::virtual_time);
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  for (const Snapshot& snap : snapshots) {
    std::uint64_t queued = 0, in_flight = 0;
    for (const NodeSample& n : snap.nodes) queued += n.queue_length, in_flight += n.in_flight;
    ASSERT_LE(queued, 6u);
    ASSERT_LE(in_flight, 16u);  // exact on the virtual clock: nothing is in transit
    ASSERT_LE(snap.in_flight, 16u);
  }
  EXPECT_LE(r.peak_in_flight, 17u);
  // Everything turned away is overflow; with 14 of the 16 places usable for service or
  // waiting, the slots stay nearly always busy: at least 95% of the capacity (8,000 req/s).
  EXPECT_EQ(r.failed.total(), r.failed.overflow);
  EXPECT_GT(static_cast<double>(r.completed), 0.95 * 8000 * 60);
  EXPECT_LT(static_cast<double>(r.completed), 1.01 * 8000 * 60);
  std::uint64_t per_node = 0;
  for (const NodeSummary& n : r.nodes) per_node += n.failed_overflow;
  EXPECT_EQ(per_node, r.failed.overflow);
  // Waiting is bounded: at most 6 ahead in the cluster.
  EXPECT_LT(r.total.p99_us, 20'000.0);
}

TEST(CircuitBreakers, RealClockCountsEveryRejectionAndBalancesTheBooks) {
  // On real threads the node threads share the breakers; in_flight also counts what is in
  // transit to a node thread, so the limits are checked through the per-node gauges only
  // where they are exact: the books, and the reason of every failure.
  Scenario s = triple_overload(1.0, Scenario::Clock::real);
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  test::expect_snapshots_balance(recorder.snapshots);
  EXPECT_GT(r.failed.overflow, 0u);
  EXPECT_EQ(r.failed.total(), r.failed.overflow);
  for (const Snapshot& snap : recorder.snapshots)
    for (const NodeSample& n : snap.nodes) EXPECT_LE(n.queue_length, 6u);
}

TEST(CircuitBreakers, RealClockRetriesUnderTheBreakerBalance) {
  // A node killed under load with retries: the retry breaker turns some away on real
  // threads too, and every request is still accounted for once.
  Scenario s = triple_overload(1.0, Scenario::Clock::real);
  s.circuit_breakers.max_retries = 2;
  s.retry.max_retries = 2;
  s.faults.push_back(FaultEvent{0.3, 0, FaultEvent::Action::kill});
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  test::expect_snapshots_balance(recorder.snapshots);
  EXPECT_GT(r.failed.overflow, 0u);
}

TEST(CircuitBreakers, OffByDefaultAndReadFromTheScenarioFile) {
  EXPECT_FALSE(Scenario{}.circuit_breakers.any());
  const Scenario s = parse_scenario(R"({"circuit_breakers": {"max_pending": 5, "max_retries": 3}})");
  EXPECT_EQ(s.circuit_breakers.max_pending, 5u);
  EXPECT_EQ(s.circuit_breakers.max_requests, CircuitBreakerLimits::kOff);
  EXPECT_EQ(s.circuit_breakers.max_retries, 3u);
  const Scenario again = parse_scenario(scenario_to_json(s));
  EXPECT_EQ(again.circuit_breakers.max_pending, 5u);
  EXPECT_EQ(again.circuit_breakers.max_requests, CircuitBreakerLimits::kOff);
  EXPECT_EQ(again.circuit_breakers.max_retries, 3u);
}

TEST(CircuitBreakers, BadLimitsNameTheFieldAndTheValue) {
  auto problem = [](const std::string& text) {
    try {
      Scenario s = parse_scenario(text);
      validate(s);
    } catch (const ScenarioError& e) {
      return std::string(e.field()) + ": " + e.what();
    }
    return std::string("accepted");
  };
  for (const char* bad :
       {R"({"circuit_breakers": {"max_pending": 0}})", R"({"circuit_breakers": {"max_pending": -1}})",
        R"({"circuit_breakers": {"max_pending": 1.5}})", R"({"circuit_breakers": {"max_pending": 1e30}})",
        R"({"circuit_breakers": {"max_pending": 200000000}})", R"({"circuit_breakers": {"max_pending": "many"}})"}) {
    const std::string p = problem(bad);
    EXPECT_NE(p.find("circuit_breakers.max_pending"), std::string::npos) << bad << " -> " << p;
  }
  EXPECT_NE(problem(R"({"circuit_breakers": {"max_requests": 0}})").find("(got 0)"), std::string::npos);
  EXPECT_NE(problem(R"({"circuit_breakers": {"max_connections": 5}})").find("circuit_breakers.max_connections"),
            std::string::npos);
  EXPECT_NE(problem(R"({"circuit_breakers": 5})").find("circuit_breakers"), std::string::npos);
}

}  // namespace
}  // namespace loadlab
