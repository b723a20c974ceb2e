#include "balancers/ring_hash.h"

#include <algorithm>

namespace loadlab {

void RingHash::set_weights(std::span<const double> weights) {
  if (std::equal(weights.begin(), weights.end(), weights_.begin(), weights_.end()) && !ring_.empty()) return;
  weights_.assign(weights.begin(), weights.end());
  ring_.build(weights, vnodes_);
}

std::size_t RingHash::pick(const PickContext& context) {
  if (ring_.empty()) return kNoNode;
  return ring_.locate(context.key).node;
}

}  // namespace loadlab
