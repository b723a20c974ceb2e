// Health checking as production balancers do it: HAProxy's rise/fall (and the checks bringing
// back a node marked down by its errors), nginx's reset when every peer has failed, Envoy's
// panic threshold. The rules are exact sequences on the tracker and the monitor; the runs are
// on the virtual clock (exact, machine-independent) with one short, tolerant real-clock run.
#include <gtest/gtest.h>

#include <array>

#include "engine/engine.h"
#include "model/health_monitor.h"
#include "run_harness.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1'000'000'000;

HealthCheckConfig active_only(unsigned rise = 2, unsigned fall = 3) {
  HealthCheckConfig c;
  c.active_interval_ms = 100;
  c.rise = rise;
  c.fall = fall;
  c.max_fails = 0;
  return c;
}

TEST(Health, FallFailedProbesInARowMarkDownAndRiseGoodOnesBringBack) {
  HealthTracker t(active_only(2, 3), 1);
  // Probe answers and the availability after each: a good probe in between restarts `fall`.
  const std::array<bool, 11> answers{false, false, true, false, false, false, true, false, true, true, true};
  const std::array<bool, 11> expected{true, true, true, true, true, false, false, false, false, true, true};
  for (std::size_t k = 0; k < answers.size(); ++k) {
    t.probe(0, answers[k], static_cast<std::int64_t>(k) * 100 * kMs);
    EXPECT_EQ(t.available(0), expected[k]) << "after probe " << k;
  }
}

TEST(Health, WithActiveChecksAPassiveMarkEndsAfterRiseGoodProbes) {
  HealthCheckConfig c = active_only(2, 3);
  c.max_fails = 1;
  c.fail_timeout_s = 10;
  HealthTracker t(c, 2);
  t.probe(0, true, 0);
  t.probe(0, true, 100 * kMs);  // good probes before the mark do not count towards rise
  EXPECT_TRUE(t.observe(0, 1, 0, 150 * kMs));
  EXPECT_FALSE(t.available(0));
  EXPECT_EQ(t.mark(0, 150 * kMs), HealthTracker::Mark::passive);
  t.probe(0, false, 200 * kMs);  // still dead
  t.probe(0, true, 300 * kMs);   // back: one good probe
  EXPECT_FALSE(t.available(0));
  t.probe(0, true, 400 * kMs);  // two: rise
  EXPECT_TRUE(t.available(0)) << "back long before fail_timeout (10 s)";

  // Without active checks the mark lasts its fail_timeout, as in nginx.
  HealthCheckConfig passive = c;
  passive.active_interval_ms = 0;
  HealthTracker p(passive, 1);
  p.observe(0, 1, 0, 0);
  EXPECT_FALSE(p.expire(10 * kS - 1));
  EXPECT_FALSE(p.available(0));
  EXPECT_TRUE(p.expire(10 * kS));
  EXPECT_TRUE(p.available(0));
}

TEST(Health, WithActiveChecksAnOutlierEjectionEndsAfterRiseGoodProbes) {
  HealthCheckConfig c = active_only(3, 3);
  c.consecutive_failures = 2;
  c.base_ejection_s = 30;
  HealthTracker t(c, 1);
  t.observe(0, 2, 0, 0);
  EXPECT_EQ(t.mark(0, 0), HealthTracker::Mark::outlier);
  t.probe(0, true, 100 * kMs);
  t.probe(0, true, 200 * kMs);
  EXPECT_FALSE(t.available(0));
  t.probe(0, true, 300 * kMs);
  EXPECT_TRUE(t.available(0));
  EXPECT_EQ(t.ejections(0), 1u);
}

const NodeCounters* const* pointers(std::vector<NodeCounters>& counters, std::vector<const NodeCounters*>& out) {
  out.clear();
  for (auto& c : counters) out.push_back(&c);
  return out.data();
}

TEST(Health, NginxResetsEveryPassiveMarkWhenNoNodeIsLeft) {
  HealthCheckConfig c;
  c.max_fails = 1;
  c.fail_timeout_s = 10;
  c.panic_threshold = 0;
  HealthMonitor m(c, {1, 1, 1});
  std::vector<NodeCounters> counters(3);
  std::vector<const NodeCounters*> view;
  pointers(counters, view);
  const auto up = [](std::size_t) { return true; };
  bump(counters[0].failed_down);
  bump(counters[1].failed_down);
  m.step(1 * kMs, view, up);
  EXPECT_FALSE(m.available(0));
  EXPECT_FALSE(m.available(1));
  EXPECT_TRUE(m.available(2));
  EXPECT_EQ(m.state(0), NodeHealth::passive);
  bump(counters[2].failed_down);
  m.step(2 * kMs, view, up);  // the last one fails too: all marks are forgotten
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(m.available(i)) << i;
  EXPECT_EQ(m.effective(), (std::vector<double>{1, 1, 1}));
  // A node out of service (weight 0) does not count as one left to try.
  HealthMonitor w(c, {1, 1, 0});
  std::vector<NodeCounters> counters2(3);
  pointers(counters2, view);
  bump(counters2[0].failed_down);
  bump(counters2[1].failed_down);
  w.step(1 * kMs, view, up);
  EXPECT_TRUE(w.available(0));
  EXPECT_TRUE(w.available(1));
}

TEST(Health, PanicBelowTheThresholdPicksAmongAllAndIsTimed) {
  HealthCheckConfig c = active_only(1, 1);
  c.panic_threshold = 50;
  HealthMonitor m(c, {1, 2, 1, 1});
  std::array<bool, 4> alive{true, true, true, true};
  const auto up = [&](std::size_t i) { return alive[i]; };
  std::vector<NodeCounters> counters(4);
  std::vector<const NodeCounters*> view;
  pointers(counters, view);
  alive[0] = alive[1] = false;
  m.step(100 * kMs, view, up);  // two of four available: 50%, not below it
  EXPECT_FALSE(m.panic());
  EXPECT_EQ(m.effective(), (std::vector<double>{0, 0, 1, 1}));
  alive[2] = false;
  m.step(200 * kMs, view, up);  // one of four: panic, every node at its configured weight
  EXPECT_TRUE(m.panic());
  EXPECT_EQ(m.effective(), (std::vector<double>{1, 2, 1, 1}));
  EXPECT_TRUE(m.in_rotation(0));
  EXPECT_FALSE(m.available(0));  // still known to be down
  EXPECT_EQ(m.panic_ns(250 * kMs), 50 * kMs);
  alive[0] = true;
  m.step(300 * kMs, view, up);  // two of four again: released
  EXPECT_FALSE(m.panic());
  EXPECT_EQ(m.effective(), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(m.panic_ns(900 * kMs), 100 * kMs);
  EXPECT_EQ(m.panic_episodes(), 1u);

  c.panic_threshold = 0;  // off: the one node left takes everything
  HealthMonitor off(c, {1, 2, 1, 1});
  alive = {false, false, false, true};
  off.step(100 * kMs, view, up);
  EXPECT_FALSE(off.panic());
  EXPECT_EQ(off.effective(), (std::vector<double>{0, 0, 0, 1}));
}

// The run: four nodes, each killed for half a second in turn, 4000 requests/s for 5 s.
Scenario one_down_at_a_time(double scale = 1) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.workload.rate = 4000;
  s.workload.requests = 0;
  s.workload.duration_s = 5 * scale;
  s.interval_ms = 50;
  const std::array<std::size_t, 4> order{1, 2, 0, 3};  // b, c, a, d
  for (std::size_t k = 0; k < 4; ++k) {
    s.faults.push_back({scale * (0.5 + k), order[k], FaultEvent::Action::kill});
    s.faults.push_back({scale * (1.0 + k), order[k], FaultEvent::Action::revive});
  }
  s.health.active_interval_ms = 50;
  return s;
}

double availability(const RunReport& r) { return static_cast<double>(r.completed) / static_cast<double>(r.issued); }

TEST(Health, OneNodeDownAtATimeKeepsAvailabilityAbove99Percent) {
  Scenario retries = one_down_at_a_time();
  retries.retry.max_retries = 2;
  Scenario hash = one_down_at_a_time();
  hash.partitioning.kind = Partitioning::Kind::hash;
  hash.partitioning.replication = 2;
  hash.retry.max_retries = 1;
  Scenario ring = one_down_at_a_time();
  ring.partitioning.kind = Partitioning::Kind::ring;
  ring.partitioning.replication = 3;
  ring.partitioning.write_quorum = 2;
  ring.workload.write_fraction = 0.2;
  for (const Scenario* s : {&retries, &hash, &ring}) {
    std::vector<Snapshot> snaps;
    const RunReport r = test::simulate_checked(*s, snaps);
    EXPECT_GE(availability(r), 0.99) << "partitioning " << to_string(s->partitioning.kind);
    EXPECT_EQ(r.failed.no_node, 0u);
    EXPECT_EQ(r.panic_s, 0.0);  // never fewer than three of four available
    // Each revived node is back in rotation within rise (2) probes of 50 ms, plus one.
    for (const Snapshot& snap : snaps) {
      if (snap.t_ms == 1200) {
        EXPECT_TRUE(snap.nodes[1].available) << "b revived at 1.0 s";
      }
    }
  }
}

TEST(Health, PanicEngagesBelowTheThresholdAndReleasesAboveItOnTheVirtualClock) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.workload.rate = 2000;
  s.workload.requests = 0;
  s.workload.duration_s = 2;
  s.interval_ms = 50;
  s.health.active_interval_ms = 50;
  s.health.fall = 1;
  s.health.rise = 1;
  s.health.max_fails = 0;
  for (std::size_t node : {0, 1, 2}) s.faults.push_back({0.5, node, FaultEvent::Action::kill});
  s.faults.push_back({1.0, 1, FaultEvent::Action::revive});
  std::vector<Snapshot> snaps;
  const RunReport r = test::simulate_checked(s, snaps);
  // Probes at multiples of 50 ms: the kills are seen at 0.5 s (the probe round right after
  // them) or at 0.55 s, the revive at 1.0 or 1.05 s: between 0.4 and 0.55 s in panic.
  EXPECT_GE(r.panic_s, 0.4);
  EXPECT_LE(r.panic_s, 0.55);
  // Requests issued in panic: the rate times the time, within 10% (Poisson arrivals).
  EXPECT_NEAR(static_cast<double>(r.issued_in_panic), 2000 * r.panic_s, 0.1 * 2000 * r.panic_s);
  for (const Snapshot& snap : snaps) {
    if (snap.t_ms <= 450 || snap.t_ms >= 1100) {
      EXPECT_FALSE(snap.panic) << snap.t_ms;
    }
    if (snap.t_ms >= 600 && snap.t_ms <= 950) {
      EXPECT_TRUE(snap.panic) << snap.t_ms;
    }
  }
  // In panic the dead nodes are picked again: their requests fail (node down), none for no node.
  EXPECT_GT(r.failed.node_down, 0u);
  EXPECT_EQ(r.failed.no_node, 0u);

  s.health.panic_threshold = 0;  // off: d alone takes the load, nobody fails after detection
  std::vector<Snapshot> off_snaps;
  const RunReport off = test::simulate_checked(s, off_snaps);
  EXPECT_EQ(off.panic_s, 0.0);
  EXPECT_LT(off.failed.node_down, r.failed.node_down / 10);
}

TEST(Health, PanicEngagesAndReleasesOnTheRealClock) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.workload.rate = 2000;
  s.workload.requests = 0;
  s.workload.duration_s = 1.2;
  s.interval_ms = 20;
  s.health.active_interval_ms = 20;
  s.health.fall = 1;
  s.health.rise = 1;
  s.health.max_fails = 0;
  for (std::size_t node : {0, 1, 2}) s.faults.push_back({0.3, node, FaultEvent::Action::kill});
  s.faults.push_back({0.7, 1, FaultEvent::Action::revive});
  Engine e(s);
  test::SnapshotRecorder rec;
  const RunReport r = test::run_to_end(e, rec);
  test::expect_snapshots_balance(rec.snapshots);
  test::expect_books_balance(r);
  // 0.4 s in panic; generous bounds for a loaded machine.
  EXPECT_GT(r.panic_s, 0.25);
  EXPECT_LT(r.panic_s, 0.6);
  EXPECT_GT(r.issued_in_panic, 0u);
  EXPECT_FALSE(rec.snapshots.back().panic) << "released once b is back";
  bool seen = false;
  for (const Snapshot& snap : rec.snapshots) seen = seen || snap.panic;
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace loadlab
