// The flow view's sample of requests (model/flow_tap.h): with every request sampled, each
// node's events are exactly its counts on both clocks (arrivals, hits and misses, completions,
// failures); with one in N, about 1/N of the requests with every event of each; a full ring
// drops and counts; attaching after start or with the wrong size is refused.
#include <gtest/gtest.h>

#include <map>

#include "engine/engine.h"
#include "model/flow_tap.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

Scenario three_nodes(std::uint64_t requests, double rate) {
  Scenario s;
  s.nodes = default_nodes(3);
  s.cache_policy = "lru";
  s.cache_capacity = 50;
  s.workload.keys.keys = 500;
  s.workload.rate = rate;
  s.workload.requests = requests;
  s.balancer = "round-robin";
  return s;
}

struct Counts {
  std::uint64_t arrived = 0, hits = 0, misses = 0, completed = 0, failed = 0;
};

std::vector<Counts> count(const std::vector<FlowEvent>& events, std::size_t nodes) {
  std::vector<Counts> c(nodes);
  for (const FlowEvent& e : events) {
    Counts& n = c[e.node];
    switch (e.kind) {
      case FlowEvent::Kind::arrived:
        ++n.arrived;
        break;
      case FlowEvent::Kind::started_hit:
        ++n.hits;
        break;
      case FlowEvent::Kind::started_miss:
        ++n.misses;
        break;
      case FlowEvent::Kind::completed:
        ++n.completed;
        break;
      case FlowEvent::Kind::failed:
        ++n.failed;
        break;
    }
  }
  return c;
}

void expect_events_are_the_counts(Run& run, const RunReport& report, const std::vector<FlowEvent>& events) {
  const std::vector<Counts> c = count(events, 3);
  std::uint64_t arrived = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const NodeSummary& n = report.nodes[i];
    EXPECT_EQ(c[i].completed, n.requests) << "node " << i;
    EXPECT_EQ(c[i].hits, n.hits) << "node " << i;
    EXPECT_EQ(c[i].misses, n.misses) << "node " << i;
    EXPECT_EQ(c[i].failed, n.failed) << "node " << i;
    arrived += c[i].arrived;
  }
  EXPECT_EQ(arrived, report.issued);
  (void)run;
}

TEST(FlowTap, EverySampledEventIsTheNodesOwnCountOnTheVirtualClock) {
  Simulator sim(three_nodes(3000, 2000));
  auto tap = std::make_shared<FlowTap>(3);
  tap->set_every(1);
  sim.attach_flow_tap(tap);
  const RunReport r = sim.run_to_end();
  const std::vector<FlowEvent> events = tap->take();
  EXPECT_EQ(tap->dropped(), 0u);
  expect_events_are_the_counts(sim, r, events);
  EXPECT_TRUE(tap->take().empty());  // taken once
}

TEST(FlowTap, EverySampledEventIsTheNodesOwnCountOnTheRealClock) {
  Engine engine(three_nodes(1500, 3000));
  auto tap = std::make_shared<FlowTap>(3);
  tap->set_every(1);
  engine.attach_flow_tap(tap);
  engine.start();
  engine.wait();
  expect_events_are_the_counts(engine, engine.report(), tap->take());
}

TEST(FlowTap, KilledNodeFailuresAreEvents) {
  Scenario s = three_nodes(3000, 2000);
  FaultEvent kill;
  kill.at_s = 0.5;
  kill.node = 1;
  s.faults.push_back(kill);
  Simulator sim(s);
  auto tap = std::make_shared<FlowTap>(3);
  tap->set_every(1);
  sim.attach_flow_tap(tap);
  const RunReport r = sim.run_to_end();
  ASSERT_GT(r.nodes[1].failed, 0u);
  expect_events_are_the_counts(sim, r, tap->take());
}

TEST(FlowTap, OneInNSamplesAboutOneInNWithEveryEventOfEach) {
  Simulator sim(three_nodes(20000, 4000));
  auto tap = std::make_shared<FlowTap>(3);
  tap->set_every(20);
  sim.attach_flow_tap(tap);
  std::map<std::uint64_t, std::vector<FlowEvent::Kind>> by_id;
  sim.subscribe([&](const Snapshot&) {
    for (const FlowEvent& e : tap->take()) by_id[e.id].push_back(e.kind);  // drained every tick
  });
  const RunReport r = sim.run_to_end();
  for (const FlowEvent& e : tap->take()) by_id[e.id].push_back(e.kind);
  // 20,000 × 1/20 = 1,000 expected; a binomial's sd is ~31: ±150 is about 5 sd.
  EXPECT_NEAR(static_cast<double>(by_id.size()), 1000.0, 150.0);
  ASSERT_EQ(r.completed, 20000u);
  for (const auto& [id, kinds] : by_id) {
    ASSERT_EQ(kinds.size(), 3u) << id;  // arrived, started, completed: no failures here
    EXPECT_EQ(kinds[0], FlowEvent::Kind::arrived);
    EXPECT_TRUE(kinds[1] == FlowEvent::Kind::started_hit || kinds[1] == FlowEvent::Kind::started_miss);
    EXPECT_EQ(kinds[2], FlowEvent::Kind::completed);
  }
  EXPECT_EQ(tap->dropped(), 0u);
}

TEST(FlowTap, AFullRingDropsAndCountsAndZeroSamplesNothing) {
  FlowTap tap(1);
  tap.set_every(1);
  Request r;
  for (std::size_t i = 0; i < FlowTap::kRingSize + 10; ++i) {
    r.intended_ns = static_cast<std::int64_t>(i);
    tap.record(0, tap.sampled(r), FlowEvent::Kind::arrived, r.intended_ns);
  }
  EXPECT_EQ(tap.dropped(), 10u);
  const std::vector<FlowEvent> events = tap.take();
  ASSERT_EQ(events.size(), FlowTap::kRingSize);
  EXPECT_EQ(events.front().t_ns, 0);
  EXPECT_EQ(events.back().t_ns, static_cast<std::int64_t>(FlowTap::kRingSize - 1));
  tap.set_every(0);
  EXPECT_EQ(tap.sampled(r), 0u);
}

TEST(FlowTap, AttachIsBeforeStartAndOneRingPerNode) {
  Simulator sim(three_nodes(100, 1000));
  EXPECT_THROW(sim.attach_flow_tap(std::make_shared<FlowTap>(2)), std::invalid_argument);
  EXPECT_THROW(sim.attach_flow_tap(nullptr), std::invalid_argument);
  sim.start();
  EXPECT_THROW(sim.attach_flow_tap(std::make_shared<FlowTap>(3)), std::logic_error);
  sim.wait();
  Engine engine(three_nodes(100, 1000));
  EXPECT_THROW(engine.attach_flow_tap(std::make_shared<FlowTap>(4)), std::invalid_argument);
}

}  // namespace
}  // namespace loadlab
