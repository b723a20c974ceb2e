#pragma once
// The run's balancer as a read sees it: one instance of the policy for the whole cluster or,
// with partitioned data, one per replica set, each seeing only the nodes of its set (the
// others at weight 0), so a read only goes to a node holding its key. The dispatcher picks a
// read's node with one of these, and the retry router a retry's node with another (its own
// instances, seeded apart, so retries do not shift the dispatcher's sequence).
//
// Threading: not thread-safe; its owner serialises the calls.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "balancers/balancer.h"
#include "model/placement.h"
#include "scenario/scenario.h"

namespace loadlab {

class ReplicaBalancers {
 public:
  // Seeds: `seed_stream` for the cluster's balancer, seed_stream + 1000 + s for replica set s
  // (model/random_streams.h). `placement` may be null (no partitioning); it must outlive this.
  ReplicaBalancers(const Scenario& scenario, const Placement* placement, std::uint64_t seed_stream);

  void set_weights(std::span<const double> weights);
  // The balancer for reads of `key`: its replica set's, or the cluster's.
  Balancer& for_key(std::uint64_t key);
  // With partitioning: the balancer of the partition's replica set.
  Balancer& for_partition(std::uint32_t partition) { return *sets_[placement_->replica_set(partition)]; }
  void on_load_changed(std::size_t node);
  const Balancer& cluster() const { return *cluster_; }

 private:
  const Placement* placement_;
  std::unique_ptr<Balancer> cluster_;
  std::vector<std::unique_ptr<Balancer>> sets_;  // with partitioning: one per replica set
};

}  // namespace loadlab
