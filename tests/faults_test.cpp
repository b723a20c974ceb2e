// Faults on real threads: kills and revives at random moments never lose a request, health
// checks take a dead node out of rotation (only once they notice), and nothing leaks.
#include <gtest/gtest.h>

#include <dirent.h>

#include <functional>
#include <mutex>
#include <thread>

#include "base/random.h"
#include "engine/engine.h"
#include "launch/make_run.h"
#include "run_harness.h"
#include "scenario/scenario_json.h"

namespace loadlab {
namespace {

Scenario faulty_scenario(std::size_t nodes = 4) {
  Scenario s;
  s.nodes = default_nodes(nodes);
  s.service.hit_us = 30;
  s.service.miss_us = 80;
  s.workload.rate = 8000;
  s.workload.requests = 0;
  s.workload.duration_s = 1.2;
  s.interval_ms = 20;
  s.health.max_fails = 0;  // tests switch the checks on one by one
  return s;
}

using Recorded = test::SnapshotRecorder;

RunReport run(Engine& e, Recorded& rec, const std::function<void(Engine&)>& during = {}) {
  return test::run_to_end(e, rec, [&](loadlab::Run&) {
    if (during) during(e);
  });
}

void expect_accounting(const Recorded& rec, const RunReport& r) {
  test::expect_snapshots_balance(rec.snapshots);
  test::expect_books_balance(r);
}

std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

TEST(Faults, KillsAndRevivesAtRandomNeverLoseARequestNorAThread) {
  {
    // Warm up first: sanitizer runtimes start a helper thread of their own on first use.
    Scenario warm = faulty_scenario(2);
    warm.workload.duration_s = 0.05;
    Engine e(warm);
    e.start();
    e.wait();
  }
  const std::size_t threads_before = thread_count();
  for (Workload::Mode mode : {Workload::Mode::open, Workload::Mode::closed}) {
    Scenario s = faulty_scenario();
    s.workload.mode = mode;
    s.workload.clients = 32;
    s.health.max_fails = 1;
    s.health.fail_timeout_s = 0.05;
    s.retry.max_retries = 2;  // retries move requests between nodes while they die and revive
    Engine e(s);
    Recorded rec;
    const RunReport r = run(e, rec, [](Engine& engine) {
      Rng rng(99);  // the schedule of faults is seeded
      for (int k = 0; k < 50; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng.below(15)));
        const std::size_t node = rng.below(4);
        if (engine.node_up(node))
          engine.kill(node);
        else
          engine.revive(node);
      }
      for (std::size_t i = 0; i < 4; ++i) engine.revive(i);
    });
    expect_accounting(rec, r);
    EXPECT_GT(r.failed.node_down, 0u);
    EXPECT_GT(r.completed, 1000u);  // closed-loop clients were released by the failures
  }
  EXPECT_EQ(thread_count(), threads_before);
}

// Node b dies at 0.3 s and never comes back; returns the failures it caused.
std::uint64_t failures_after_kill(const HealthCheckConfig& health) {
  Scenario s = faulty_scenario(4);
  s.health = health;
  s.faults.push_back({0.3, 1, FaultEvent::Action::kill});
  Engine e(s);
  Recorded rec;
  const RunReport r = run(e, rec);
  expect_accounting(rec, r);
  EXPECT_FALSE(rec.snapshots.back().nodes[1].up);
  return r.failed.node_down;
}

TEST(Faults, HealthChecksTakeADeadNodeOutOnlyOnceTheyNotice) {
  HealthCheckConfig none;
  none.max_fails = 0;
  HealthCheckConfig passive;  // nginx: one failure takes the node out for fail_timeout
  passive.max_fails = 1;
  passive.fail_timeout_s = 10;
  HealthCheckConfig active;
  active.max_fails = 0;
  active.active_interval_ms = 50;
  active.fall = 2;
  HealthCheckConfig ejection;
  ejection.max_fails = 0;
  ejection.consecutive_failures = 5;
  const std::uint64_t without = failures_after_kill(none);
  const std::uint64_t with_passive = failures_after_kill(passive);
  const std::uint64_t with_active = failures_after_kill(active);
  const std::uint64_t with_ejection = failures_after_kill(ejection);
  // Without checks the balancer keeps sending b a quarter of 8000 req/s for 0.9 s (~1800).
  EXPECT_GT(without, 1000u);
  // Passive checks notice at the first failed batch; ejection after 5 failures.
  EXPECT_LT(with_passive, 60u);
  EXPECT_LT(with_ejection, 80u);
  // Active checks notice after 2 failed probes 50 ms apart: at most ~0.15 s of b's traffic.
  EXPECT_LT(with_active, 400u);
  EXPECT_GT(with_active, with_passive);
}

TEST(Faults, ScheduledKillAndReviveShowInSnapshotsAndReviveIsCold) {
  Scenario s = faulty_scenario(2);
  s.workload.keys.keys = 50;  // all keys fit: hits once warm
  s.cache_capacity = 100;
  s.health.active_interval_ms = 10;
  s.health.fall = 1;
  s.health.rise = 1;
  s.health.max_fails = 0;
  s.faults = {{0.4, 0, FaultEvent::Action::kill}, {0.7, 0, FaultEvent::Action::revive}};
  Engine e(s);
  Recorded rec;
  const RunReport r = run(e, rec);
  expect_accounting(rec, r);
  bool saw_down = false, saw_out = false;
  std::uint64_t misses_before_kill = 0, misses_after_revive = 0;
  for (const Snapshot& snap : rec.snapshots) {
    const NodeSample& a = snap.nodes[0];
    if (snap.t_ms > 460 && snap.t_ms < 680) {
      saw_down = saw_down || !a.up;
      saw_out = saw_out || !a.available;
    }
    if (snap.t_ms > 200 && snap.t_ms <= 400) misses_before_kill += a.interval_misses;
    if (snap.t_ms > 700 && snap.t_ms <= 800) misses_after_revive += a.interval_misses;
  }
  EXPECT_TRUE(saw_down);
  EXPECT_TRUE(saw_out);
  EXPECT_TRUE(rec.snapshots.back().nodes[0].up);
  EXPECT_EQ(misses_before_kill, 0u);    // warm
  EXPECT_GE(misses_after_revive, 20u);  // the revived node starts with an empty cache
}

TEST(Faults, SlowStartRampsARevivedNodeBackIn) {
  Scenario s = faulty_scenario(2);
  s.balancer = "weighted-round-robin";
  s.workload.duration_s = 1.6;
  s.health.active_interval_ms = 10;
  s.health.fall = 1;
  s.health.rise = 1;
  s.health.max_fails = 0;
  s.health.slow_start_s = 0.6;
  s.faults = {{0.2, 0, FaultEvent::Action::kill}, {0.5, 0, FaultEvent::Action::revive}};
  Engine e(s);
  Recorded rec;
  const RunReport r = run(e, rec);
  expect_accounting(rec, r);
  auto share_of_a = [&](std::int64_t from_ms, std::int64_t to_ms) {
    double a = 0, all = 0;
    for (const Snapshot& snap : rec.snapshots)
      if (snap.t_ms > from_ms && snap.t_ms <= to_ms) {
        a += static_cast<double>(snap.nodes[0].interval_completed);
        all += static_cast<double>(snap.nodes[0].interval_completed + snap.nodes[1].interval_completed);
      }
    return a / all;
  };
  const double early = share_of_a(520, 650);   // just back: ~10-30% of its weight
  const double late = share_of_a(1250, 1550);  // ramp over: half
  EXPECT_LT(early, 0.3);
  EXPECT_NEAR(late, 0.5, 0.05);
}

TEST(Faults, AllNodesDownFailWithACountedReasonAndTheRunEnds) {
  // Active checks mark both down and nothing overrides them (no panic): the balancer has
  // nobody to offer.
  Scenario s = faulty_scenario(2);
  s.health.active_interval_ms = 20;
  s.health.fall = 1;
  s.health.panic_threshold = 0;
  s.faults = {{0.1, 0, FaultEvent::Action::kill}, {0.1, 1, FaultEvent::Action::kill}};
  {
    Engine e(s);
    Recorded rec;
    const RunReport r = run(e, rec);
    expect_accounting(rec, r);
    EXPECT_GT(r.failed.no_node, 0u);
    EXPECT_GT(r.failed.node_down, 0u);
    EXPECT_EQ(r.panic_s, 0.0);
  }
  // Envoy's panic threshold (the default, 50%): with no node available the balancer picks
  // among all of them, so requests reach the dead nodes and fail there, and the panic is
  // counted.
  s.health.panic_threshold = 50;
  Engine e(s);
  Recorded rec;
  const RunReport r = run(e, rec);
  expect_accounting(rec, r);
  EXPECT_EQ(r.failed.no_node, 0u);
  EXPECT_GT(r.failed.node_down, 0u);
  EXPECT_GT(r.panic_s, 0.5);  // from ~0.12 s to the end at 1.2 s
  EXPECT_GT(r.issued_in_panic, 0u);
  EXPECT_TRUE(rec.snapshots.back().panic);
}

TEST(Faults, RetriesOnAnotherNodeRaiseAvailabilityWithinTheBudget) {
  auto run_with = [](unsigned retries, double budget) {
    Scenario s = faulty_scenario(4);
    s.health.max_fails = 0;  // nobody notices the dead node: every request sent there fails once
    s.retry.max_retries = retries;
    s.retry.budget = budget;
    s.retry.min_retries = 0;
    s.faults.push_back({0.2, 1, FaultEvent::Action::kill});
    Engine e(s);
    Recorded rec;
    const RunReport r = run(e, rec);
    expect_accounting(rec, r);
    for (const Snapshot& snap : rec.snapshots) {
      std::uint64_t in = 0, out = 0;
      for (const NodeSample& n : snap.nodes) in += n.retried_in, out += n.retried_out;
      EXPECT_GE(in, out);           // counted in at the new node before out at the old one
      EXPECT_GE(snap.retries, in);  // granted before forwarded
    }
    std::uint64_t in = 0;
    for (const NodeSample& n : rec.snapshots.back().nodes) in += n.retried_in;
    EXPECT_EQ(rec.snapshots.back().retries, in) << "every retry is one forward";
    return r;
  };
  const RunReport none = run_with(0, 0.2);
  const RunReport plenty = run_with(2, 1.0);
  const RunReport tight = run_with(2, 0.05);
  EXPECT_EQ(none.retries, 0u);
  EXPECT_GT(none.failed.node_down, 1000u);  // a quarter of the traffic for a second
  // With retries the dead node's requests are served elsewhere: nearly nothing is lost.
  EXPECT_GT(plenty.retries, 1000u);
  EXPECT_LT(plenty.failed.node_down, none.failed.node_down / 20);
  // Retries are not new requests: the same arrival schedule issues the same number (±2% for
  // the timing of the duration cut-off).
  EXPECT_NEAR(static_cast<double>(plenty.issued), static_cast<double>(none.issued),
              0.02 * static_cast<double>(none.issued));
  // A 5% budget caps retries at 5% of the requests issued; the rest fail.
  EXPECT_LE(static_cast<double>(tight.retries), 0.05 * static_cast<double>(tight.issued) + 1);
  EXPECT_GT(tight.failed.node_down, plenty.failed.node_down);
}

TEST(Faults, ScenarioFileCarriesHealthAndFaults) {
  const Scenario s = parse_scenario(R"({"nodes": 3,
      "health": {"active_interval_ms": 200, "fall": 2, "rise": 1, "max_fails": 0, "slow_start_s": 5},
      "faults": [{"at_s": 5, "node": "b", "action": "kill"}, {"at_s": 12, "node": "b", "action": "revive"},
                 {"at_s": 1, "node": "c", "action": "spikes", "probability": 0.05, "extra_us": 20000}]})");
  EXPECT_DOUBLE_EQ(s.health.active_interval_ms, 200);
  ASSERT_EQ(s.faults.size(), 3u);
  EXPECT_EQ(s.faults[0].node, 1u);
  EXPECT_EQ(s.faults[2].action, FaultEvent::Action::spikes);
  const Scenario again = parse_scenario(scenario_to_json(s));
  EXPECT_EQ(again.faults.size(), 3u);
  EXPECT_DOUBLE_EQ(again.faults[2].extra_us, 20000);
  auto error_of = [](const char* text) -> std::string {
    try {
      parse_scenario(text);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of(R"({"nodes": 2, "faults": [{"at_s": 1, "node": "z", "action": "kill"}]})")
                .find("faults[0].node: unknown node 'z' (nodes: a, b)"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 2, "faults": [{"at_s": 1, "node": "a", "action": "explode"}]})")
                .find("faults[0].action: unknown value 'explode'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 2, "faults": [{"at_s": -1, "node": "a", "action": "kill"}]})").find("faults[0].at_s"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 2, "health": {"fall": 0}})").find("health.fall"), std::string::npos);
}

TEST(Faults, ANodeIndexOutOfRangeIsInvalidArgumentOnBothClocks) {
  // run.h promises std::invalid_argument naming the index for every per-node call.
  for (const char* clock : {"real", "virtual"}) {
    Scenario s = parse_scenario(std::string(R"({"nodes": 3, "clock": ")") + clock + R"("})");
    const std::unique_ptr<loadlab::Run> run = make_run(s);
    for (auto call : std::initializer_list<std::function<void()>>{
             [&] { (void)run->node_up(3); }, [&] { (void)run->node_available(99); }, [&] { run->kill(3); },
             [&] { run->revive(3); }, [&] { run->set_speed(3, 1.0); }})
      EXPECT_THROW(call(), std::invalid_argument) << clock;
    try {
      (void)run->node_available(7);
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("node index 7 out of range (the run has 3 nodes)"), std::string::npos);
    }
    EXPECT_TRUE(run->node_up(2));
  }
}

}  // namespace
}  // namespace loadlab
