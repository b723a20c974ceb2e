#include "balancers/smooth_weighted_round_robin.h"

#include <cmath>

namespace loadlab {

void SmoothWeightedRoundRobin::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  current_.assign(weights.size(), 0.0);
  schedule_.clear();
  position_ = 0;
  total_ = 0;
  bool whole = true;
  for (double w : weight_) {
    if (w <= 0) continue;
    total_ += w;
    whole = whole && w == std::floor(w);
  }
  if (!whole || total_ <= 0 || total_ > static_cast<double>(kMaxSchedulePeriod) ||
      total_ * static_cast<double>(weight_.size()) > static_cast<double>(kMaxScheduleWork))
    return;
  const auto period = static_cast<std::size_t>(total_);
  schedule_.reserve(period);
  for (std::size_t k = 0; k < period; ++k) schedule_.push_back(static_cast<std::uint32_t>(step()));
  // Whole weights make every current weight exactly 0 again here; start the loop state over
  // so a later fall-back (none today) would continue the same sequence.
  current_.assign(weight_.size(), 0.0);
}

std::size_t SmoothWeightedRoundRobin::step() {
  std::size_t best = kNoNode;
  for (std::size_t i = 0; i < weight_.size(); ++i) {
    if (weight_[i] <= 0) continue;
    current_[i] += weight_[i];
    if (best == kNoNode || current_[i] > current_[best]) best = i;
  }
  if (best != kNoNode) current_[best] -= total_;
  return best;
}

std::size_t SmoothWeightedRoundRobin::pick(const PickContext&) {
  if (schedule_.empty()) return step();
  const std::size_t node = schedule_[position_];
  if (++position_ == schedule_.size()) position_ = 0;
  return node;
}

}  // namespace loadlab
