// Data placement and replication on real threads: reads go only to nodes holding the key's
// partition, writes to every replica with a quorum, and replication keeps data available
// when a node dies — with every request accounted for.
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "engine/engine.h"
#include "model/placement.h"
#include "scenario/scenario_json.h"

namespace loadlab {
namespace {

TEST(Placement, EveryPartitionHasRDistinctReplicas) {
  for (auto kind : {Partitioning::Kind::hash, Partitioning::Kind::range, Partitioning::Kind::ring}) {
    Partitioning p;
    p.kind = kind;
    p.replication = 3;
    const Placement placement(p, 5, 10'000);
    ASSERT_GT(placement.partition_count(), 0u);
    std::vector<int> held(5, 0);
    for (std::uint32_t q = 0; q < placement.partition_count(); ++q) {
      const auto r = placement.replicas(q);
      ASSERT_EQ(r.size(), 3u);
      EXPECT_EQ(std::set<std::uint32_t>(r.begin(), r.end()).size(), 3u) << to_string(kind) << " partition " << q;
      for (std::uint32_t node : r) ++held[node];
    }
    for (int h : held) EXPECT_GT(h, 0) << to_string(kind);
  }
}

TEST(Placement, RangeKeepsNeighbouringKeysTogether) {
  Partitioning p;
  p.kind = Partitioning::Kind::range;
  p.partitions = 10;
  const Placement placement(p, 5, 1000);
  EXPECT_EQ(placement.partition_of(0), 0u);
  EXPECT_EQ(placement.partition_of(99), 0u);
  EXPECT_EQ(placement.partition_of(100), 1u);
  EXPECT_EQ(placement.partition_of(999), 9u);
}

Scenario partitioned(Partitioning::Kind kind, unsigned r, unsigned w, double writes) {
  Scenario s;
  s.nodes = default_nodes(4);
  s.service.hit_us = 30;
  s.service.miss_us = 80;
  s.workload.rate = 8000;
  s.workload.requests = 0;
  s.workload.duration_s = 1.0;
  s.workload.keys.keys = 5000;
  s.workload.keys.kind = KeyPopularity::Kind::zipf;
  s.workload.write_fraction = writes;
  s.interval_ms = 20;
  s.partitioning.kind = kind;
  s.partitioning.replication = r;
  s.partitioning.write_quorum = w;
  return s;
}

struct RunOutcome {
  RunReport report;
  std::vector<Snapshot> snapshots;
};

RunOutcome run_scenario(const Scenario& s) {
  Engine e(s);
  RunOutcome out;
  std::mutex m;
  e.subscribe([&](const Snapshot& snap) {
    std::lock_guard lock(m);
    out.snapshots.push_back(snap);
  });
  e.start();
  e.wait();
  out.report = e.report();
  for (const Snapshot& snap : out.snapshots)
    EXPECT_EQ(snap.issued, snap.completed + snap.failed.total() + snap.in_flight);
  EXPECT_EQ(out.report.in_flight, 0u);
  EXPECT_EQ(out.report.issued, out.report.completed + out.report.failed.total());
  std::uint64_t node_in_flight = 0;
  for (const NodeSample& n : out.snapshots.back().nodes) node_in_flight += n.in_flight;
  EXPECT_EQ(node_in_flight, 0u) << "every replica copy finished";
  return out;
}

TEST(DataPlacement, RangeUnderZipfMakesTheHotPartitionsNodeHotAndTheoryPredictsIt) {
  const RunOutcome r = run_scenario(partitioned(Partitioning::Kind::range, 1, 0, 0));
  const auto& a = r.report.nodes[0];
  EXPECT_GT(a.key_share, 0.5);  // key ranks 0..624 hold most of Zipf's mass
  EXPECT_NEAR(a.share, a.key_share, 0.03);
  EXPECT_NEAR(a.expected_share, a.key_share, 1e-12);
  EXPECT_EQ(a.partitions, 8u);
}

TEST(DataPlacement, ReplicationKeepsKeysReadableWhenANodeDies) {
  auto with_kill = [](unsigned r, unsigned w, double writes) {
    Scenario s = partitioned(Partitioning::Kind::hash, r, w, writes);
    s.faults.push_back({0.3, 1, FaultEvent::Action::kill});
    return run_scenario(s).report;
  };
  const RunReport single = with_kill(1, 0, 0.2);
  const RunReport replicated = with_kill(3, 2, 0.2);
  const RunReport all_acks = with_kill(3, 3, 0.2);
  auto availability = [](const RunReport& r) {
    return static_cast<double>(r.completed) / static_cast<double>(r.issued);
  };
  // R = 1: b's quarter of the keys is gone once it dies (no node holds them).
  EXPECT_LT(availability(single), 0.9);
  EXPECT_GT(single.failed.no_node, 0u);
  // R = 3, W = 2: reads go to the live replicas, writes still find two acknowledgements.
  EXPECT_GT(availability(replicated), 0.99);
  EXPECT_EQ(replicated.failed.no_quorum, 0u);
  // W = R = 3: every write touching b's partitions fails for want of a quorum.
  EXPECT_GT(all_acks.failed.no_quorum, 100u);
  EXPECT_LT(availability(all_acks), availability(replicated));
}

TEST(DataPlacement, WritesNeedPlacementAndQuorumWithinReplication) {
  auto error_of = [](const char* text) -> std::string {
    try {
      parse_scenario(text);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of(R"({"nodes": 3, "workload": {"write_fraction": 0.1}})").find("writes need data placement"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 3, "partitioning": {"kind": "hash", "replication": 4}})")
                .find("partitioning.replication: must be from 1 to the node count 3 (got 4)"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 3, "partitioning": {"kind": "hash", "replication": 2, "write_quorum": 3}})")
                .find("partitioning.write_quorum"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 3, "partitioning": {"kind": "sideways"}})").find("partitioning.kind: unknown value"),
            std::string::npos);
  const Scenario ok = parse_scenario(
      R"({"nodes": 3, "partitioning": {"kind": "ring", "replication": 2}, "workload": {"write_fraction": 0.3}})");
  EXPECT_EQ(parse_scenario(scenario_to_json(ok)).partitioning.kind, Partitioning::Kind::ring);
}

}  // namespace
}  // namespace loadlab
