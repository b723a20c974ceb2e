#include "balancers/key_hash.h"

#include "base/hash.h"

namespace loadlab {

void KeyHash::set_weights(std::span<const double> weights) {
  eligible_.clear();
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) eligible_.push_back(i);
}

std::size_t KeyHash::pick(const PickContext& context) {
  if (eligible_.empty()) return kNoNode;
  return eligible_[mix64(context.key) % eligible_.size()];
}

}  // namespace loadlab
