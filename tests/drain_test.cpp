// --drain: what happens to an overloaded run's backlog once the last request is issued —
// waited for (the default), cancelled at once, or cancelled after a time; on both clocks,
// the cancelled requests counted with reason cancelled and the books balanced.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"

namespace loadlab {
namespace {

// One node, one slot at exactly 1 ms, offered 2,000 req/s at constant spacing for 2 s: the
// backlog at the end of issuing is about 2,000 requests (2 s of work).
Scenario overloaded(Scenario::Clock clock) {
  Scenario s;
  s.nodes = default_nodes(1);
  s.cache_policy = "none";
  s.service.distribution = ServiceModel::Distribution::fixed;
  s.service.hit_us = s.service.miss_us = 1000;
  s.workload.arrival = Workload::Arrival::constant;
  s.workload.rate = 2000;
  s.workload.requests = 0;
  s.workload.duration_s = 2;
  s.clock = clock;
  return s;
}

TEST(Drain, WaitServesTheWholeBacklog) {
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(overloaded(Scenario::Clock::virtual_time), snapshots);
  EXPECT_EQ(r.issued, 4000u);
  EXPECT_EQ(r.completed, 4000u);
  EXPECT_NEAR(r.elapsed_s, 4.0, 0.002);
}

TEST(Drain, CancelEndsTheRunWhenTheLastRequestIsIssued) {
  // Issued over 2 s; 2,000 served by then (one every ms), one in service and the rest queued:
  // all of those are cancelled at 2 s.
  Scenario s = overloaded(Scenario::Clock::virtual_time);
  s.drain = Scenario::Drain::cancel;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_EQ(r.issued, 4000u);
  EXPECT_NEAR(static_cast<double>(r.completed), 2000.0, 2.0);
  EXPECT_EQ(r.failed.cancelled, r.issued - r.completed);
  EXPECT_LE(r.elapsed_s, 2.0);
}

TEST(Drain, TimeoutCancelsWhatIsLeftAfterIt) {
  Scenario s = overloaded(Scenario::Clock::virtual_time);
  s.drain = Scenario::Drain::timeout;
  s.drain_timeout_s = 0.5;
  std::vector<Snapshot> snapshots;
  const RunReport r = test::simulate_checked(s, snapshots);
  EXPECT_NEAR(static_cast<double>(r.completed), 2500.0, 2.0);  // half a second more of service
  EXPECT_EQ(r.failed.cancelled, r.issued - r.completed);
  EXPECT_NEAR(r.elapsed_s, 2.5, 0.002);
}

TEST(Drain, RealClockCancelEndsPromptly) {
  // Real threads, three times the capacity for 1 s: waiting would take another 2 s; cancel
  // ends within a few collector polls of the last request.
  Scenario s = overloaded(Scenario::Clock::real);
  s.workload.rate = 3000;
  s.workload.duration_s = 1;
  s.drain = Scenario::Drain::cancel;
  Engine engine(s);
  test::SnapshotRecorder recorder;
  const RunReport r = test::run_to_end(engine, recorder);
  test::expect_books_balance(r);
  test::expect_snapshots_balance(recorder.snapshots);
  EXPECT_GT(r.failed.cancelled, 1000u);
  EXPECT_LT(r.elapsed_s, 1.5);  // 0.5 s of margin for a loaded machine
}

TEST(Drain, ScenarioFileAndBadInput) {
  EXPECT_EQ(parse_scenario(R"({"drain": "cancel"})").drain, Scenario::Drain::cancel);
  const Scenario t = parse_scenario(R"({"drain": 2.5})");
  EXPECT_EQ(t.drain, Scenario::Drain::timeout);
  EXPECT_DOUBLE_EQ(parse_scenario(scenario_to_json(t)).drain_timeout_s, 2.5);
  EXPECT_EQ(parse_scenario(scenario_to_json(parse_scenario(R"({"drain": "cancel"})"))).drain, Scenario::Drain::cancel);
  for (const char* bad : {R"({"drain": 0})", R"({"drain": -1})", R"({"drain": "later"})", R"({"drain": 1e9})"}) {
    try {
      parse_scenario(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.field(), "drain") << bad;
    }
  }
}

}  // namespace
}  // namespace loadlab
