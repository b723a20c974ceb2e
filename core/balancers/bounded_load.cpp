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
  const HashRing::Spot spot = ring_.locate(context.key);
  if (!context.load) return spot.node;
  const double budget = factor_ * static_cast<double>(context.load->total_in_flight() + 1) / total_weight_;
  // Capacities sum to c·(m+1) > m, so some node has room and the walk ends within one lap.
  // A node has room while in_flight < ⌈budget · w⌉, which for a whole number in_flight is
  // in_flight < budget · w: the same test without the ceiling.
  std::size_t p = spot.position, node = spot.node;
  for (std::size_t steps = 0; steps < ring_.size(); ++steps) {
    if (static_cast<double>(context.load->in_flight(node)) < budget * weights_[node]) return node;
    p = ring_.next(p);
    node = ring_.node_at(p);
  }
  return spot.node;  // only with an inconsistent LoadView
}

}  // namespace loadlab
