#pragma once
// What theory predicts, to draw beside what was measured.
#include <span>
#include <vector>

#include "balancer.h"
#include "key_distribution.h"

namespace loadlab {

// Expected share of requests per node: T_i / T = w_i / Σw for weighted policies, 1/n over
// the nodes with weight > 0 for equal ones, NaN where the share depends on load or keys.
std::vector<double> expected_shares(ShareModel model, std::span<const double> weights);

// For policies whose node depends on the key alone (hashing): node i's expected share is the
// total probability of the keys it owns, Σ_{k → i} P(k), so a hot key shows up in theory as
// well as in the measurement. `balancer` must have its weights set. All NaN when the key
// space is larger than kMaxKeyTheoryKeys (one pick per key would take too long).
std::vector<double> key_owned_shares(Balancer& balancer, const KeyDistribution& keys, std::size_t nodes);
inline constexpr std::uint64_t kMaxKeyTheoryKeys = 1'000'000;

}  // namespace loadlab
