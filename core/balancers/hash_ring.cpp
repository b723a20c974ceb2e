#include "balancers/hash_ring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "balancers/balancer_params.h"
#include "base/hash.h"

namespace loadlab {

void HashRing::build(std::span<const double> weights, unsigned vnodes) {
  std::vector<std::uint64_t> points(weights.size(), 0);
  double wanted = 0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) wanted += std::max(1.0, std::round(weights[i] * vnodes));
  // Very large weights × vnodes would need more memory than a ring is worth: scale down
  // evenly (keeping at least one point per node) to stay under kMaxRingPoints.
  const double scale = wanted > static_cast<double>(kMaxRingPoints) ? static_cast<double>(kMaxRingPoints) / wanted : 1.0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) points[i] = static_cast<std::uint64_t>(std::max(1.0, std::round(weights[i] * vnodes * scale)));

  std::vector<std::pair<std::uint64_t, std::uint32_t>> ring;
  ring.reserve(std::accumulate(points.begin(), points.end(), std::uint64_t{0}));
  for (std::size_t i = 0; i < weights.size(); ++i)
    for (std::uint64_t r = 0; r < points[i]; ++r) ring.emplace_back(mix64(i + 1, r), static_cast<std::uint32_t>(i));
  std::sort(ring.begin(), ring.end());
  hashes_.resize(ring.size());
  nodes_.resize(ring.size());
  for (std::size_t p = 0; p < ring.size(); ++p) {
    hashes_[p] = ring[p].first;
    nodes_[p] = ring[p].second;
  }
}

std::size_t HashRing::position(std::uint64_t key) const {
  const auto it = std::lower_bound(hashes_.begin(), hashes_.end(), mix64(key));
  return it == hashes_.end() ? 0 : static_cast<std::size_t>(it - hashes_.begin());
}

}  // namespace loadlab
