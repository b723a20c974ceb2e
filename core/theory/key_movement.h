#pragma once
// What consistent hashing is for: how many keys change node when one node leaves or joins.
// Measured on the balancer itself, over the first `keys` key ids, against the ideal (only
// the keys the leaving node owned, or the joining node's fair share, move).
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "balancers/balancer_params.h"

namespace loadlab {

struct KeyMovement {
  std::size_t removed_node = 0;  // the last node in rotation leaves, then joins again
  double moved_on_remove = 0;    // fraction of keys whose node changed
  double ideal_on_remove = 0;    // w_removed / Σw (1/n for equal weights)
  double moved_on_add = 0;
  double ideal_on_add = 0;
  // Spread of the key space over the nodes with all of them in: max / mean of keys owned
  // per unit of weight (1 is perfectly even; more virtual nodes bring it toward 1).
  double ownership_max_mean = 0;
};

// nullopt when the balancer's choice does not depend on the key alone, or fewer than two
// nodes are in rotation. `keys` is capped at kMaxMovementKeys.
std::optional<KeyMovement> measure_key_movement(const std::string& balancer, const BalancerParams& params,
                                                std::span<const double> weights, std::uint64_t keys);

inline constexpr std::uint64_t kMaxMovementKeys = 1'000'000;

}  // namespace loadlab
