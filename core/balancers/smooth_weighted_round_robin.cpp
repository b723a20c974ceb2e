#include "smooth_weighted_round_robin.h"

namespace loadlab {

void SmoothWeightedRoundRobin::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  current_.assign(weights.size(), 0.0);
  total_ = 0;
  for (double w : weight_) total_ += w;
}

std::size_t SmoothWeightedRoundRobin::pick(const PickContext&) {
  std::size_t best = kNoNode;
  for (std::size_t i = 0; i < weight_.size(); ++i) {
    if (weight_[i] <= 0) continue;
    current_[i] += weight_[i];
    if (best == kNoNode || current_[i] > current_[best]) best = i;
  }
  if (best != kNoNode) current_[best] -= total_;
  return best;
}

}  // namespace loadlab
