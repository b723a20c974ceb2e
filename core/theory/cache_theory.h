#pragma once
// What Che's approximation predicts for each node's LRU hit ratio in a running scenario:
// a node sees the keys the balancer sends it — every key for the key-blind policies (round
// robin, random, least connections, ...), only the keys it owns for the hashing ones — with
// their popularity renormalised, and caches `capacity` of them. This is why consistent
// hashing raises hit ratios: each node's cache covers a smaller, hotter key set.
#include <cstddef>
#include <span>
#include <vector>

#include "scenario/scenario.h"

namespace loadlab {

inline constexpr std::uint64_t kMaxCacheTheoryKeys = 200'000;

// One hit ratio per node; empty when the key space is larger than kMaxCacheTheoryKeys.
std::vector<double> node_lru_hit_ratios(const Scenario& scenario, std::span<const double> weights,
                                        std::span<const std::size_t> capacities);

}  // namespace loadlab
