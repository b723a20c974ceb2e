#include "weighted_random.h"

#include <algorithm>

namespace loadlab {

void WeightedRandom::set_weights(std::span<const double> weights) {
  cumulative_.resize(weights.size());
  total_ = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    total_ += weights[i] > 0 ? weights[i] : 0.0;
    cumulative_[i] = total_;
  }
}

std::size_t WeightedRandom::pick(const PickContext&) {
  if (total_ <= 0) return kNoNode;
  const double u = rng_.uniform() * total_;
  // The first running sum strictly above u; a zero-width step can never be that first one.
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return it == cumulative_.end() ? cumulative_.size() - 1
                                 : static_cast<std::size_t>(it - cumulative_.begin());
}

}  // namespace loadlab
