#include "theory/cache_theory.h"

#include "balancers/balancer_registry.h"
#include "model/placement.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab {

std::vector<double> node_lru_hit_ratios(const Scenario& s, std::span<const double> weights,
                                        std::span<const std::size_t> capacities) {
  const std::uint64_t keys = s.workload.keys.keys;
  if (keys > kMaxCacheTheoryKeys) return {};
  const KeyDistribution popularity(s.workload.keys);
  std::vector<double> p(keys);
  for (std::uint64_t k = 0; k < keys; ++k) p[k] = popularity.probability(k);
  const std::size_t n = weights.size();
  std::vector<double> hit(n, 0.0);
  if (s.partitioning.kind != Partitioning::Kind::none) {
    // Each node caches the keys of the partitions it holds (its share of every key's reads
    // is the same 1/R, so the popularity within its key set keeps its shape).
    const Placement placement(s.partitioning, n, keys);
    std::vector<std::vector<double>> held(n);
    std::vector<double> mass(n, 0.0);
    for (std::uint64_t k = 0; k < keys; ++k)
      for (std::uint32_t node : placement.replicas(placement.partition_of(k))) {
        held[node].push_back(p[k]);
        mass[node] += p[k];
      }
    for (std::size_t i = 0; i < n; ++i) {
      if (mass[i] <= 0 || weights[i] <= 0) continue;
      for (double& x : held[i]) x /= mass[i];
      hit[i] = che_lru_hit_ratio(held[i], static_cast<double>(capacities[i]));
    }
    return hit;
  }
  auto balancer = balancers().make(s.balancer, BalancerOptions{1, s.balancer_params});
  if (!balancer->key_affine()) {
    for (std::size_t i = 0; i < n; ++i) hit[i] = che_lru_hit_ratio(p, static_cast<double>(capacities[i]));
    return hit;
  }
  balancer->set_weights(weights);
  std::vector<std::vector<double>> owned(n);
  std::vector<double> mass(n, 0.0);
  for (std::uint64_t k = 0; k < keys; ++k) {
    const std::size_t node = balancer->pick(PickContext{k, nullptr});
    if (node >= n) continue;
    owned[node].push_back(p[k]);
    mass[node] += p[k];
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (mass[i] <= 0) continue;
    for (double& x : owned[i]) x /= mass[i];
    hit[i] = che_lru_hit_ratio(owned[i], static_cast<double>(capacities[i]));
  }
  return hit;
}

}  // namespace loadlab
