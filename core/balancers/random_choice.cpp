#include "balancers/random_choice.h"

namespace loadlab {

void RandomChoice::set_weights(std::span<const double> weights) {
  eligible_.clear();
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) eligible_.push_back(i);
}

std::size_t RandomChoice::pick(const PickContext&) {
  if (eligible_.empty()) return kNoNode;
  return eligible_[rng_.below(eligible_.size())];
}

}  // namespace loadlab
