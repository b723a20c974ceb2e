#include "balancers/power_of_two_choices.h"

namespace loadlab {

void PowerOfTwoChoices::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  eligible_.clear();
  equal_weights_ = true;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    if (!eligible_.empty() && weights[i] != weights[eligible_.front()]) equal_weights_ = false;
    eligible_.push_back(i);
  }
  by_weight_.build(equal_weights_ ? std::span<const double>{} : weights);
}

std::size_t PowerOfTwoChoices::sample() {
  if (equal_weights_) return eligible_[rng_.below(eligible_.size())];
  return by_weight_.draw(rng_);
}

std::size_t PowerOfTwoChoices::pick(const PickContext& context) {
  if (eligible_.empty()) return kNoNode;
  std::size_t best = sample();
  if (!context.load) return best;
  auto cost = [&](std::size_t node) {
    const auto in_flight = static_cast<double>(context.load->in_flight(node));
    return equal_weights_ ? in_flight : (in_flight + 1) / weight_[node];
  };
  double best_cost = cost(best);
  for (unsigned c = 1; c < choices_; ++c) {
    const std::size_t candidate = sample();
    const double candidate_cost = cost(candidate);
    if (candidate_cost < best_cost) {
      best = candidate;
      best_cost = candidate_cost;
    }
  }
  return best;
}

}  // namespace loadlab
