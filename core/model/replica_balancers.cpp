#include "model/replica_balancers.h"

#include "balancers/balancer_registry.h"
#include "base/random.h"

namespace loadlab {

ReplicaBalancers::ReplicaBalancers(const Scenario& scenario, const Placement* placement, std::uint64_t seed_stream)
    : placement_(placement) {
  cluster_ = balancers().make(scenario.balancer,
                              BalancerOptions{derive_seed(scenario.seed, seed_stream), scenario.balancer_params});
  if (placement_)
    for (std::size_t set = 0; set < placement_->replica_set_count(); ++set)
      sets_.push_back(balancers().make(
          scenario.balancer,
          BalancerOptions{derive_seed(scenario.seed, seed_stream + 1000 + set), scenario.balancer_params}));
}

void ReplicaBalancers::set_weights(std::span<const double> weights) {
  cluster_->set_weights(weights);
  for (std::size_t set = 0; set < sets_.size(); ++set) {
    std::vector<double> masked(weights.size(), 0.0);
    for (std::uint32_t node : placement_->set_members(static_cast<std::uint32_t>(set))) masked[node] = weights[node];
    sets_[set]->set_weights(masked);
  }
}

Balancer& ReplicaBalancers::for_key(std::uint64_t key) {
  if (!placement_) return *cluster_;
  return for_partition(placement_->partition_of(key));
}

void ReplicaBalancers::on_load_changed(std::size_t node) {
  cluster_->on_load_changed(node);
  for (auto& b : sets_) b->on_load_changed(node);
}

}  // namespace loadlab
