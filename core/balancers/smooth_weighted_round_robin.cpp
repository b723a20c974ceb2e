#include "balancers/smooth_weighted_round_robin.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace loadlab {

void SmoothWeightedRoundRobin::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  current_.assign(weights.size(), 0.0);
  schedule_.clear();
  position_ = 0;
  classes_.clear();
  members_.clear();
  period_ = picks_ = 0;
  total_ = 0;
  bool whole = true;
  std::size_t eligible = 0;
  for (double w : weight_) {
    if (w <= 0) continue;
    total_ += w;
    ++eligible;
    whole = whole && w == std::floor(w);
  }
  // Exact in doubles (|current| < n·W <= 2^53) and in 64-bit integers (w·t <= W² < 2^62).
  if (!whole || total_ <= 0 || total_ > 0x1p31 || total_ * static_cast<double>(eligible) > 0x1p53) return;

  std::map<double, std::vector<std::uint32_t>> by_weight;
  for (std::size_t i = 0; i < weight_.size(); ++i)
    if (weight_[i] > 0) by_weight[weight_[i]].push_back(static_cast<std::uint32_t>(i));
  for (const auto& [w, nodes] : by_weight) {
    const auto begin = static_cast<std::uint32_t>(members_.size());
    members_.insert(members_.end(), nodes.begin(), nodes.end());
    classes_.push_back({static_cast<std::int64_t>(w), 0, begin, begin, static_cast<std::uint32_t>(members_.size())});
  }
  period_ = static_cast<std::int64_t>(total_);

  const auto period = static_cast<std::uint64_t>(period_);
  if (period > kMaxSchedulePeriod || period * classes_.size() > kMaxScheduleWork) return;
  schedule_.reserve(period);
  for (std::uint64_t k = 0; k < period; ++k) schedule_.push_back(static_cast<std::uint32_t>(class_step()));
  // A full period brings every class back to its start (picks_ wrapped to 0 in class_step).
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

std::size_t SmoothWeightedRoundRobin::class_step() {
  // At pick t (1-based) a head's current weight is t·w − W·turns; the largest wins, and on a
  // tie the lowest node index, as in nginx's loop.
  const std::int64_t t = ++picks_;
  WeightClass* best = nullptr;
  std::int64_t best_current = 0;
  std::uint32_t best_node = 0;
  for (WeightClass& c : classes_) {
    const std::int64_t current = t * c.weight - period_ * c.turns;
    const std::uint32_t node = members_[c.head];
    if (!best || current > best_current || (current == best_current && node < best_node)) {
      best = &c;
      best_current = current;
      best_node = node;
    }
  }
  if (++best->head == best->end) {
    best->head = best->begin;
    ++best->turns;
  }
  if (picks_ == period_) {  // every current weight is zero again: start the period over
    picks_ = 0;
    for (WeightClass& c : classes_) c.turns = 0;
  }
  return best_node;
}

std::size_t SmoothWeightedRoundRobin::pick(const PickContext&) {
  if (!schedule_.empty()) {
    const std::size_t node = schedule_[position_];
    if (++position_ == schedule_.size()) position_ = 0;
    return node;
  }
  if (!classes_.empty()) return class_step();
  return step();
}

}  // namespace loadlab
