// A node's queue bound (model/queue_policy.h: HAProxy's maxqueue and timeout queue) on both
// clocks: exact sequences where the virtual clock makes them deterministic, the bound never
// exceeded under 3x overload, and every shed request counted with its reason.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/engine.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"
#include "sim/simulator.h"
#include "theory/offered_load.h"

namespace loadlab {
namespace {

// One node, one slot, every request exactly `service_us`, arrivals exactly 1/rate apart from
// t = 0: each event's time is known in advance, so each request's fate is too.
Scenario clockwork(double rate, double service_us, std::uint64_t requests) {
  Scenario s;
  s.nodes = default_nodes(1);
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

TEST(QueueBound, FullQueueRejectsExactlyTheRequestsThatFindItFull) {
  // Arrivals every 0.5 ms, 1 ms of service, at most 2 waiting. By hand: A0 is served at once;
  // A1..A4 wait their turn; from then on the queue holds 2 whenever an arrival finds the
  // server just restarted, so A5, A7 and A9 find it full. (A completion and an arrival at the
  // same instant: the completion was scheduled first, so it runs first.)
  Scenario s = clockwork(2000, 1000, 10);
  s.queue.limit = 2;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.issued, 10u);
  EXPECT_EQ(r.completed, 7u);
  EXPECT_EQ(r.failed.queue_full, 3u);
  EXPECT_EQ(r.failed.queue_timeout, 0u);
  EXPECT_EQ(r.failed.total(), 3u);
  EXPECT_EQ(r.nodes[0].failed_queue_full, 3u);
  EXPECT_EQ(r.total.failed_queue_full, 3u);
  // Latencies of A0, A1, A2, A3, A4, A6, A8: 1, 1.5, 2, 2.5, 3, 3, 3 ms.
  EXPECT_DOUBLE_EQ(r.total.max_us, 3000.0);
  EXPECT_NEAR(r.total.mean_us, 16000.0 / 7.0, 1e-6);
  for (const Snapshot& snap : snapshots) EXPECT_LE(snap.nodes[0].queue_length, 2u);
}

TEST(QueueBound, UnlimitedQueueKeepsEveryRequest) {
  const Scenario s = clockwork(2000, 1000, 10);
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.completed, 10u);
  EXPECT_EQ(r.failed.total(), 0u);
  // A9 arrives at 4.5 ms and is served last, from 9 to 10 ms.
  EXPECT_DOUBLE_EQ(r.total.max_us, 5500.0);
}

TEST(QueueBound, TimeoutFailsEachRequestAtTheMomentItsTimeIsUp) {
  // Arrivals every 50 ms, 100 ms of service, a queue timeout of 120 ms. By hand: A1, A2, A4,
  // A6, A8 get a slot after waiting 50 or 100 ms; A3, A5, A7, A9 (arrived at 150, 250, 350,
  // 450 ms) give up at 270, 370, 470 and 570 ms. The last one is the proof of the wake-up:
  // the slot it waited for frees only at 600 ms, when a timeout checked at the dequeue would
  // have noticed it.
  Scenario s = clockwork(20, 100'000, 10);
  s.queue.timeout_ms = 120;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.completed, 6u);
  EXPECT_EQ(r.failed.queue_timeout, 4u);
  EXPECT_EQ(r.failed.queue_full, 0u);
  // No request waited longer than the timeout: the slowest served one waited 100 ms.
  EXPECT_DOUBLE_EQ(r.total.max_us, 200'000.0);
  auto timeouts_at = [&](std::int64_t t_ms) {
    for (const Snapshot& snap : snapshots)
      if (snap.t_ms == t_ms) return snap.failed.queue_timeout;
    ADD_FAILURE() << "no snapshot at " << t_ms << " ms";
    return std::uint64_t{0};
  };
  EXPECT_EQ(timeouts_at(260), 0u);
  EXPECT_EQ(timeouts_at(280), 1u);
  EXPECT_EQ(timeouts_at(360), 1u);
  EXPECT_EQ(timeouts_at(380), 2u);
  EXPECT_EQ(timeouts_at(460), 2u);
  EXPECT_EQ(timeouts_at(480), 3u);
  EXPECT_EQ(timeouts_at(560), 3u);
  EXPECT_EQ(timeouts_at(580), 4u);  // still 20 ms before the slot frees
  for (const Snapshot& snap : snapshots) {
    if (snap.t_ms == 580) {
      EXPECT_EQ(snap.nodes[0].failed_queue_timeout, 4u);
    }
  }
}

TEST(QueueBound, LimitAndTimeoutTogetherCountEachReasonApart) {
  // As the full-queue case, with a timeout of 1.8 ms: the queue also sheds by time.
  Scenario s = clockwork(2000, 1000, 200);
  s.queue.limit = 2;
  s.queue.timeout_ms = 1.8;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_GT(r.failed.queue_full, 0u);
  EXPECT_GT(r.failed.queue_timeout, 0u);
  EXPECT_EQ(r.completed + r.failed.queue_full + r.failed.queue_timeout, 200u);
  // Served requests waited less than 1.8 ms, so none took 2.8 ms or more in all.
  EXPECT_LT(r.total.max_us, 2800.0);
}

// Four nodes of two slots at 1 ms per request (8,000 req/s in all) offered three times that.
Scenario triple_overload(std::uint64_t limit, double duration_s, Scenario::Clock clock) {
  Scenario s;
  s.nodes = default_nodes(4);
  for (NodeSpec& n : s.nodes) n.slots = 2;
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::exponential;
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.rate = 24'000;
  s.workload.requests = 0;
  s.workload.duration_s = duration_s;
  s.queue.limit = limit;
  s.clock = clock;
  s.interval_ms = 100;
  return s;
}

TEST(QueueBound, VirtualClockNeverHoldsMoreThanSlotsPlusLimitUnderTripleOverload) {
  const Scenario s = triple_overload(20, 60, Scenario::Clock::virtual_time);
  ASSERT_NEAR(predict_offered_load(s).rho, 3.0, 1e-9);
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  for (const Snapshot& snap : snapshots)
    for (const NodeSample& n : snap.nodes) {
      ASSERT_LE(n.queue_length, 20u);
      ASSERT_LE(n.in_service, 2u);
      ASSERT_LE(n.in_flight, 22u);  // exact on the virtual clock: nothing is in transit
    }
  // The dispatcher's peak counts a request as it is sent, before a full queue turns it away.
  EXPECT_LE(r.peak_in_flight, 4u * 22u + 1);
  // About two thirds of 1.44 M requests are turned away, each with its reason; the nodes
  // stay busy, so the throughput is the capacity (1% for 480,000 exponential services).
  EXPECT_NEAR(static_cast<double>(r.completed), 8000.0 * 60, 0.01 * 8000 * 60);
  EXPECT_EQ(r.failed.total(), r.failed.queue_full);
  EXPECT_NEAR(static_cast<double>(r.failed.queue_full) / static_cast<double>(r.issued), 2.0 / 3.0, 0.01);
  // Waiting is bounded too: at most 20 ahead, two slots at 1 ms mean: p99 well below 20 ms.
  EXPECT_LT(r.total.p99_us, 20'000.0);
}

TEST(QueueBound, WithoutALimitTheBacklogGrowsForTheWholeRun) {
  // The same overload unbounded, for 10 s: the backlog grows by about 16,000 a second.
  const Scenario s = triple_overload(QueuePolicy::kUnlimited, 10, Scenario::Clock::virtual_time);
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.failed.total(), 0u);
  EXPECT_GT(r.peak_in_flight, 150'000u);
}

TEST(QueueBound, RealClockHonoursTheLimitAndCountsEveryRejection) {
  // Real threads: the gauges are the model's own, so the bound holds exactly; in_flight also
  // counts what is in transit to the node thread, so it is not checked against it here.
  Scenario s = triple_overload(5, 1.0, Scenario::Clock::real);
  s.queue.timeout_ms = 50;
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  test::expect_snapshots_balance(recorder.snapshots);
  for (const Snapshot& snap : recorder.snapshots)
    for (const NodeSample& n : snap.nodes) {
      EXPECT_LE(n.queue_length, 5u);
      EXPECT_LE(n.in_service, 2u);
    }
  EXPECT_GT(r.failed.queue_full, 0u);
  EXPECT_EQ(r.failed.total(), r.failed.queue_full + r.failed.queue_timeout);
  std::uint64_t per_node = 0;
  for (const NodeSummary& n : r.nodes) per_node += n.failed_queue_full + n.failed_queue_timeout;
  EXPECT_EQ(per_node, r.failed.total());
}

TEST(QueueBound, RealClockTimeoutFiresWithoutWaitingForASlot) {
  // One slot busy for 300 ms per request, a queue timeout of 50 ms: the second request must
  // fail long before the first is done, on a real timer (the run takes 0.6 s at most).
  Scenario s = clockwork(100, 300'000, 2);
  s.clock = Scenario::Clock::real;
  s.queue.timeout_ms = 50;
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  EXPECT_EQ(r.completed, 1u);
  EXPECT_EQ(r.failed.queue_timeout, 1u);
  // The failure was counted while the first request was still in service (250 ms of margin
  // for a loaded machine; the timeout is due 60 ms into the run).
  bool seen_during_service = false;
  for (const Snapshot& snap : recorder.snapshots)
    if (snap.failed.queue_timeout == 1 && snap.nodes[0].in_service == 1) {
      seen_during_service = true;
    }
  EXPECT_TRUE(seen_during_service);
}

TEST(QueueBound, WritesShedByTheQueueFailTheirQuorum) {
  // Writes to R = 2 replicas with W = 2 on tiny queues under overload: a shed copy makes its
  // write fail with no_quorum; the books still balance.
  Scenario s = triple_overload(1, 2, Scenario::Clock::virtual_time);
  s.partitioning.kind = Partitioning::Kind::hash;
  s.partitioning.replication = 2;
  s.workload.write_fraction = 0.5;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_GT(r.failed.no_quorum, 0u);
  EXPECT_GT(r.failed.queue_full, 0u);
}

TEST(QueueBound, ScenarioFileReadsClusterAndNodeBoundsAndWritesThemBack) {
  const Scenario s = parse_scenario(R"({
    "nodes": [{"name": "a"}, {"name": "b", "queue": {"limit": 7, "timeout_ms": "none"}},
              {"name": "c", "queue": {"limit": "unlimited"}}],
    "queue": {"limit": 100, "timeout_ms": 250}
  })");
  EXPECT_EQ(s.queue_of(0).limit, 100u);
  EXPECT_DOUBLE_EQ(s.queue_of(0).timeout_ms, 250.0);
  EXPECT_EQ(s.queue_of(1).limit, 7u);
  EXPECT_FALSE(s.queue_of(1).times_out());
  EXPECT_FALSE(s.queue_of(2).limited());
  EXPECT_DOUBLE_EQ(s.queue_of(2).timeout_ms, 250.0);
  const Scenario back = parse_scenario(scenario_to_json(s));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.queue_of(i).limit, s.queue_of(i).limit);
    EXPECT_EQ(back.queue_of(i).timeout_ms, s.queue_of(i).timeout_ms);
  }
  // Without bounds, a scenario written back says nothing of them.
  EXPECT_EQ(scenario_to_json(Scenario{}).find("queue"), std::string::npos);
}

TEST(QueueBound, BadBoundsNameTheFieldAndTheValue) {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {R"({"queue": {"limit": 0}})",
       "queue.limit: must be a whole number from 1 to 100000000 or \"unlimited\" (got 0)"},
      {R"({"queue": {"limit": -3}})", "queue.limit: expected a whole number >= 1 or \"unlimited\" (got -3)"},
      {R"({"queue": {"limit": 2.5}})", "queue.limit: expected a whole number >= 1"},
      {R"({"queue": {"limit": "lots"}})", "queue.limit: expected a whole number >= 1 or \"unlimited\" (got \"lots\")"},
      {R"({"queue": {"limit": 1000000000}})", "queue.limit: must be a whole number from 1 to 100000000"},
      {R"({"queue": {"timeout_ms": 0}})", "queue.timeout_ms: must be a number of ms > 0"},
      {R"({"queue": {"timeout_ms": -1}})",
       "queue.timeout_ms: must be a number of ms > 0 and <= 3600000 or \"none\" (got -1)"},
      {R"({"queue": {"timeout_ms": "soon"}})", "queue.timeout_ms: expected a number of ms > 0 or \"none\""},
      {R"({"queue": {"limt": 3}})", "queue.limt: unknown field"},
      {R"({"nodes": [{"queue": {"limit": 0}}]})", "nodes[0].queue.limit: must be a whole number from 1"},
      {R"({"nodes": [{"queue": {"timeout_ms": 1e9}}]})", "nodes[0].queue.timeout_ms: must be a number of ms > 0"},
  };
  for (const Case& c : cases) {
    try {
      parse_scenario(c.json);
      ADD_FAILURE() << c.json << " was accepted";
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << c.json << "\n" << e.what();
    }
  }
  Scenario nan_timeout;
  nan_timeout.nodes = default_nodes(1);
  nan_timeout.queue.timeout_ms = std::nan("");
  EXPECT_THROW(validate(nan_timeout), ScenarioError);
}

}  // namespace
}  // namespace loadlab
