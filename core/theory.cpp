#include "theory.h"

#include <algorithm>
#include <limits>

namespace loadlab {

std::vector<double> expected_shares(ShareModel model, std::span<const double> weights) {
  std::vector<double> shares(weights.size(), std::numeric_limits<double>::quiet_NaN());
  if (model == ShareModel::other) return shares;
  double total = 0;
  std::size_t eligible = 0;
  for (double w : weights) {
    if (w > 0) {
      total += w;
      ++eligible;
    }
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (eligible == 0 || weights[i] <= 0) shares[i] = 0;
    else shares[i] = model == ShareModel::weighted ? weights[i] / total : 1.0 / static_cast<double>(eligible);
  }
  return shares;
}

std::vector<double> key_owned_shares(Balancer& balancer, const KeyDistribution& keys, std::size_t nodes) {
  std::vector<double> shares(nodes, std::numeric_limits<double>::quiet_NaN());
  const std::uint64_t k_count = keys.popularity().keys;
  if (k_count > kMaxKeyTheoryKeys) return shares;
  std::fill(shares.begin(), shares.end(), 0.0);
  double total = 0;
  for (std::uint64_t k = 0; k < k_count; ++k) {
    const std::size_t node = balancer.pick(PickContext{k, nullptr});
    const double p = keys.probability(k);
    total += p;
    if (node < nodes) shares[node] += p;
  }
  if (total > 0)
    for (double& s : shares) s /= total;  // guards against rounding in the probabilities
  return shares;
}

}  // namespace loadlab
