#include "balancers/round_robin.h"

namespace loadlab {

void RoundRobin::set_weights(std::span<const double> weights) {
  // Keep the rotation going from the node that would have been next, so a weight change
  // does not send the next request back to node 0.
  const std::size_t next = eligible_.empty() ? 0 : eligible_[cursor_ % eligible_.size()];
  eligible_.clear();
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) eligible_.push_back(i);
  cursor_ = 0;
  for (std::size_t j = 0; j < eligible_.size(); ++j)
    if (eligible_[j] >= next) {
      cursor_ = j;
      break;
    }
}

std::size_t RoundRobin::pick(const PickContext&) {
  if (eligible_.empty()) return kNoNode;
  if (cursor_ >= eligible_.size()) cursor_ = 0;
  return eligible_[cursor_++];
}

}  // namespace loadlab
