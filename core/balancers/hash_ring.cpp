#include "balancers/hash_ring.h"

#include <algorithm>
#include <bit>
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
  const double scale =
      wanted > static_cast<double>(kMaxRingPoints) ? static_cast<double>(kMaxRingPoints) / wanted : 1.0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) points[i] = static_cast<std::uint64_t>(std::max(1.0, std::round(weights[i] * vnodes * scale)));

  std::vector<std::pair<std::uint64_t, std::uint32_t>> ring;
  ring.reserve(std::accumulate(points.begin(), points.end(), std::uint64_t{0}));
  for (std::size_t i = 0; i < weights.size(); ++i)
    for (std::uint64_t r = 0; r < points[i]; ++r) ring.emplace_back(mix64(i + 1, r), static_cast<std::uint32_t>(i));
  std::sort(ring.begin(), ring.end());
  points_.resize(ring.size());
  for (std::size_t p = 0; p < ring.size(); ++p) points_[p] = {ring[p].first, ring[p].second};

  // At least as many ranges as points (and 2 or more), so a range holds under one point on
  // average: about half the ranges hold none, and the rest rarely more than two.
  const std::size_t ranges = std::bit_ceil(std::max<std::size_t>(points_.size(), 2));
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(ranges));
  table_.resize(ranges);
  std::size_t p = 0;
  for (std::size_t r = 0; r < ranges; ++r) {
    const std::uint64_t start = static_cast<std::uint64_t>(r) << shift_;
    while (p < points_.size() && points_[p].hash < start) ++p;
    const bool last = r + 1 == ranges;  // its end is 2^64, past every hash
    const bool inside = p < points_.size() && (last || points_[p].hash < static_cast<std::uint64_t>(r + 1) << shift_);
    const std::size_t first = p == points_.size() ? 0 : p;  // inside implies p < size
    table_[r] = {static_cast<std::uint32_t>(first) | (inside ? kPointsInside : 0),
                 points_.empty() ? 0 : points_[first].node};
  }
}

}  // namespace loadlab
