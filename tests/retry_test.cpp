// Retries through the balancer (Envoy's previous_hosts): a retry is picked by the run's own
// policy among the nodes in rotation, never one the request already failed at; with
// replicated data, on another replica. Exact checks on the router, whole runs on the virtual
// clock.
#include <gtest/gtest.h>

#include <set>

#include "balancers/balancer_registry.h"
#include "model/retry_router.h"
#include "run_harness.h"
#include "sim/simulator.h"

namespace loadlab {
namespace {

Scenario cluster(std::size_t nodes, const std::string& balancer) {
  Scenario s;
  s.nodes = default_nodes(nodes);
  s.balancer = balancer;
  s.retry.max_retries = 10;
  s.retry.budget = 10;
  s.retry.min_retries = 1'000'000;
  return s;
}

struct Counters {
  explicit Counters(std::size_t n) : nodes(n) {
    for (auto& c : nodes) view.push_back(&c);
  }
  std::vector<NodeCounters> nodes;
  std::vector<const NodeCounters*> view;
};

TEST(Retry, EveryPolicyNeverPicksANodeTheRequestFailedAt) {
  for (const auto& entry : balancers().entries()) {
    const Scenario s = cluster(6, entry.name);
    Counters counters(6);
    RetryRouter router(s, nullptr, counters.view);
    for (std::uint64_t key = 0; key < 300; ++key) {
      // A chain of failures: each retry lands somewhere new, until every node has been tried.
      Request r{key * 7919, 0, kNoClient};
      std::size_t at = key % 6;
      std::set<std::size_t> tried{at};
      for (int k = 0; k < 5; ++k) {
        const std::size_t next = router.choose(r, at, 1000, 0);
        ASSERT_NE(next, kNoNode) << entry.name << " key " << key << " after " << tried.size();
        ASSERT_EQ(tried.count(next), 0u) << entry.name << ": went back to node " << next;
        r = RetryRouter::retried(r, at);
        at = next;
        tried.insert(next);
      }
      // All six tried: nowhere left to go.
      EXPECT_EQ(router.choose(r, at, 1000, 0), kNoNode) << entry.name;
    }
  }
}

TEST(Retry, ARetryFollowsTheBalancerAndItsWeights) {
  // Round robin: the retry takes the policy's next node, skipping the one that failed.
  const Scenario s = cluster(4, "round-robin");
  Counters counters(4);
  RetryRouter router(s, nullptr, counters.view);
  std::vector<std::size_t> picks;
  for (int k = 0; k < 6; ++k) picks.push_back(router.choose(Request{static_cast<std::uint64_t>(k)}, 0, 1000, 0));
  EXPECT_EQ(picks, (std::vector<std::size_t>{1, 2, 3, 1, 2, 3}));
  // A node out of rotation (weight 0: marked down) is never picked; neither is one with the
  // only other weight once it has been tried.
  router.set_weights(std::vector<double>{1, 0, 1, 0});
  for (std::uint64_t key = 0; key < 50; ++key) EXPECT_EQ(router.choose(Request{key}, 0, 1000, 0), 2u);
  Request twice = RetryRouter::retried(Request{5}, 2);
  EXPECT_EQ(router.choose(twice, 0, 1000, 0), kNoNode);
}

TEST(Retry, AReadOnReplicatedDataRetriesOnAnotherReplica) {
  Scenario s = cluster(5, "ring-hash");
  s.partitioning.kind = Partitioning::Kind::hash;
  s.partitioning.replication = 3;
  Counters counters(5);
  const Placement placement(s.partitioning, 5, s.workload.keys.keys);
  RetryRouter router(s, &placement, counters.view);
  for (std::uint64_t key = 0; key < 500; ++key) {
    const auto replicas = placement.replicas(placement.partition_of(key));
    Request r{key};
    std::size_t at = replicas[0];
    std::set<std::size_t> tried{at};
    for (int k = 0; k < 2; ++k) {
      const std::size_t next = router.choose(r, at, 1000, 0);
      ASSERT_NE(next, kNoNode);
      EXPECT_TRUE(placement.holds(static_cast<std::uint32_t>(next), placement.partition_of(key)));
      EXPECT_EQ(tried.count(next), 0u);
      r = RetryRouter::retried(r, at);
      at = next;
      tried.insert(next);
    }
    EXPECT_EQ(router.choose(RetryRouter::retried(r, at), at, 1000, 0), kNoNode) << "all three replicas tried";
  }
}

RunReport simulate(const Scenario& s) {
  std::vector<Snapshot> snaps;
  return test::simulate_checked(s, snaps);
}

TEST(Retry, WithThreeOfFourNodesDeadAndNobodyNoticingEveryRequestFindsTheLastOne) {
  // No health checks at all: the balancer keeps sending to the dead nodes, and only retries
  // that never go back reach d within three retries, for every request. (Retrying by a hash
  // of the request, as before, went back to dead nodes and lost requests.)
  for (const char* balancer : {"round-robin", "ring-hash", "p2c", "least-connections", "maglev"}) {
    Scenario s = cluster(4, balancer);
    s.retry.max_retries = 3;
    s.health.max_fails = 0;
    s.workload.rate = 2000;
    s.workload.requests = 4000;
    for (std::size_t node : {0, 1, 2}) s.faults.push_back({0.5, node, FaultEvent::Action::kill});
    const RunReport r = simulate(s);
    EXPECT_EQ(r.failed.node_down, 0u) << balancer;
    EXPECT_GT(r.retries, 1000u) << balancer;
    EXPECT_EQ(r.completed, r.issued) << balancer;
  }
}

TEST(Retry, ReadsOnAReplicatedKeyRetryOnTheLiveReplica) {
  Scenario s = cluster(4, "round-robin");
  s.partitioning.kind = Partitioning::Kind::hash;
  s.partitioning.replication = 2;
  s.retry.max_retries = 1;
  s.health.max_fails = 0;  // the dead node stays in rotation: every read sent there is retried
  s.workload.rate = 2000;
  s.workload.requests = 4000;
  s.faults.push_back({0.2, 1, FaultEvent::Action::kill});
  const RunReport r = simulate(s);
  EXPECT_EQ(r.failed.node_down, 0u);
  EXPECT_GT(r.retries, 500u);
}

}  // namespace
}  // namespace loadlab
