#include "theory/share_prediction.h"

#include <limits>

#include "balancers/balancer_registry.h"
#include "model/random_streams.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab {

SharePrediction::SharePrediction(const Scenario& scenario, const Placement* placement)
    : scenario_(scenario), placement_(placement) {
  const BalancerOptions options{derive_seed(scenario.seed, balancer_stream), scenario.balancer_params};
  auto probe = balancers().make(scenario.balancer, options);
  share_model_ = probe->share_model();
  if (probe->key_affine()) theory_balancer_ = std::move(probe);
  if (!placement_) return;
  // What each node holds: partitions, and the share of key popularity they carry.
  const std::size_t n = scenario.nodes.size();
  partitions_held_.assign(n, 0);
  key_share_held_.assign(n, std::numeric_limits<double>::quiet_NaN());
  for (std::uint32_t q = 0; q < placement_->partition_count(); ++q)
    for (std::uint32_t node : placement_->replicas(q)) ++partitions_held_[node];
  if (scenario.workload.keys.keys <= kMaxKeyTheoryKeys) {
    std::fill(key_share_held_.begin(), key_share_held_.end(), 0.0);
    const KeyDistribution popularity(scenario.workload.keys);
    for (std::uint64_t k = 0; k < scenario.workload.keys.keys; ++k)
      for (std::uint32_t node : placement_->replicas(placement_->partition_of(k)))
        key_share_held_[node] += popularity.probability(k);
  }
}

SharePrediction::~SharePrediction() = default;

std::vector<double> SharePrediction::shares(std::span<const double> weights) const {
  if (placement_) {
    // One replica per partition and reads only: each node serves exactly the keys it holds.
    if (placement_->replication() == 1 && scenario_.workload.write_fraction == 0) return key_share_held_;
    return std::vector<double>(weights.size(), std::numeric_limits<double>::quiet_NaN());
  }
  if (!theory_balancer_) return expected_shares(share_model_, weights);
  std::lock_guard lock(mutex_);  // two threads may change weights at once
  theory_balancer_->set_weights(weights);
  return key_owned_shares(*theory_balancer_, KeyDistribution(scenario_.workload.keys), weights.size());
}

std::vector<double> SharePrediction::shares_among_available(std::span<const double> weights,
                                                            const std::vector<bool>& available,
                                                            const std::vector<double>& shares_now) {
  std::vector<double> masked(weights.begin(), weights.end());
  bool all = true, any = false;
  for (std::size_t i = 0; i < masked.size(); ++i)
    if (!available[i]) masked[i] = 0, all = false;
  for (double w : masked) any = any || w > 0;
  if (all) return shares_now;
  if (masked == masked_weights_) return masked_shares_;
  masked_weights_ = masked;
  masked_shares_ = any ? shares(masked) : std::vector<double>(masked.size(), 0.0);
  return masked_shares_;
}

}  // namespace loadlab
