// The cluster capacity and offered load computed before a run, against hand calculations.
#include "theory/offered_load.h"

#include <gtest/gtest.h>

#include "scenario/scenario.h"
#include "theory/cache_theory.h"

namespace loadlab {
namespace {

// a: weight 2, 2 slots at full speed; b: weight 1, one slot, half speed; c: weight 1, 4 slots,
// double speed. No cache, so every request is a 500 µs miss.
Scenario mixed_cluster(const std::string& balancer, double rate) {
  Scenario s;
  const auto node = [](const char* name, double weight, double speed, unsigned slots) {
    NodeSpec n;
    n.name = name, n.weight = weight, n.speed = speed, n.slots = slots;
    return n;
  };
  s.nodes = {node("a", 2, 1, 2), node("b", 1, 0.5, 1), node("c", 1, 2, 4)};
  s.balancer = balancer;
  s.cache_policy = "none";
  s.service.miss_us = 500;
  s.workload.rate = rate;
  return s;
}

TEST(OfferedLoad, FixedSharesSaturateAtTheBusiestNode) {
  const OfferedLoad o = predict_offered_load(mixed_cluster("weighted-round-robin", 3000));
  ASSERT_TRUE(o.applicable);
  EXPECT_TRUE(o.shares_fixed);
  // Capacities: a 2 / 500 µs = 4000/s, b 1 / 1000 µs = 1000/s, c 4 / 250 µs = 16000/s.
  ASSERT_EQ(o.node_capacity_rps.size(), 3u);
  EXPECT_NEAR(o.node_capacity_rps[0], 4000, 1e-6);
  EXPECT_NEAR(o.node_capacity_rps[1], 1000, 1e-6);
  EXPECT_NEAR(o.node_capacity_rps[2], 16000, 1e-6);
  // Shares 1/2, 1/4, 1/4: b saturates first, at 1000 / (1/4) = 4000 req/s.
  EXPECT_NEAR(o.capacity_rps, 4000, 1e-6);
  EXPECT_NEAR(o.rho, 0.75, 1e-9);
  EXPECT_NEAR(o.node_rho[0], 3000 * 0.5 / 4000, 1e-9);
  EXPECT_NEAR(o.node_rho[1], 0.75, 1e-9);
  EXPECT_NEAR(o.node_rho[2], 3000 * 0.25 / 16000, 1e-9);
  EXPECT_FALSE(o.overloaded());
  EXPECT_TRUE(predict_offered_load(mixed_cluster("weighted-round-robin", 4001)).overloaded());
}

TEST(OfferedLoad, AdaptiveBalancersUseEveryNodesCapacity) {
  const OfferedLoad o = predict_offered_load(mixed_cluster("least-connections", 10500));
  ASSERT_TRUE(o.applicable);
  EXPECT_FALSE(o.shares_fixed);
  EXPECT_NEAR(o.capacity_rps, 4000 + 1000 + 16000, 1e-6);
  EXPECT_NEAR(o.rho, 0.5, 1e-9);
  for (double r : o.node_rho) EXPECT_NEAR(r, 0.5, 1e-9);
  EXPECT_TRUE(predict_offered_load(mixed_cluster("p2c", 21001)).overloaded());
}

TEST(OfferedLoad, CacheHitsRaiseANodesCapacity) {
  // Hits take 50 µs, misses 500 µs; node a caches every key (hit ratio 1), b caches none.
  Scenario s = mixed_cluster("round-robin", 1000);
  s.cache_policy = "lru";
  s.service.hit_us = 50;
  s.workload.keys.keys = 100;
  s.nodes[0].cache_capacity = 100;
  s.nodes[1].cache_capacity = 0;
  s.nodes[2].cache_capacity = 10;
  const OfferedLoad o = predict_offered_load(s);
  EXPECT_NEAR(o.node_capacity_rps[0], 2 / 50e-6, 1.0);     // every request a hit
  EXPECT_NEAR(o.node_capacity_rps[1], 1 / 1000e-6, 1e-6);  // every request a miss
  // c's hit ratio is Che's estimate; its capacity mixes the two times by it.
  const std::vector<double> weights{1, 1, 1};
  const std::vector<std::size_t> capacities{100, 0, 10};
  const double h = node_lru_hit_ratios(s, weights, capacities)[2];
  ASSERT_GT(h, 0.05);
  ASSERT_LT(h, 0.95);
  EXPECT_NEAR(o.node_capacity_rps[2], 4 / ((h * 50 + (1 - h) * 500) / 2 * 1e-6), 1e-6);
  // Round robin: a third each, so b (1000/s) saturates the cluster at 3000 req/s.
  EXPECT_NEAR(o.capacity_rps, 3000, 1e-6);
}

TEST(OfferedLoad, ClosedLoopCannotBeOverloaded) {
  Scenario s = mixed_cluster("round-robin", 1e6);
  s.workload.mode = Workload::Mode::closed;
  const OfferedLoad o = predict_offered_load(s);
  EXPECT_FALSE(o.applicable);
  EXPECT_FALSE(o.overloaded());
  EXPECT_NE(o.why_not.find("closed loop"), std::string::npos);
}

}  // namespace
}  // namespace loadlab
