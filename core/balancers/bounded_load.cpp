#include "balancers/bounded_load.h"

#include <algorithm>

namespace loadlab {

void BoundedLoad::set_weights(std::span<const double> weights) {
  if (std::equal(weights.begin(), weights.end(), weights_.begin(), weights_.end()) && !ring_.empty()) return;
  weights_.assign(weights.begin(), weights.end());
  total_weight_ = 0;
  for (double w : weights_) total_weight_ += w > 0 ? w : 0.0;
  ring_.build(weights, vnodes_);
}

std::size_t BoundedLoad::pick(const PickContext& context) {
  if (ring_.empty()) return kNoNode;
  std::size_t p = ring_.position(context.key);
  if (!context.load) return ring_.node_at(p);
  const double budget = factor_ * static_cast<double>(context.load->total_in_flight() + 1) / total_weight_;
  // Capacities sum to c·(m+1) > m, so some node has room and the walk ends within one lap.
  // A node has room while in_flight < ⌈budget · w⌉, which for a whole number in_flight is
  // in_flight < budget · w: the same test without the ceiling.
  for (std::size_t steps = 0; steps < ring_.size(); ++steps, p = ring_.next(p)) {
    const std::size_t node = ring_.node_at(p);
    if (static_cast<double>(context.load->in_flight(node)) < budget * weights_[node]) return node;
  }
  return ring_.node_at(ring_.position(context.key));  // only with an inconsistent LoadView
}

}  // namespace loadlab
