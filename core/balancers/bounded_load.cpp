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
  // A node has room while in_flight < ⌈c·(m+1)·w/W⌉, which for a whole number in_flight is
  // in_flight < c·(m+1)·w/W, tested as in_flight·W < c·(m+1)·w: no division on the pick
  // path, and exact in doubles for whole weights. Capacities sum to c·(m+1) > m, so some
  // node has room and the walk ends within one lap.
  const double room = factor_ * static_cast<double>(context.load->total_in_flight() + 1);
  std::size_t p = spot.position, node = spot.node;
  for (std::size_t steps = 0; steps < ring_.size(); ++steps) {
    if (static_cast<double>(context.load->in_flight(node)) * total_weight_ < room * weights_[node]) return node;
    p = ring_.next(p);
    node = ring_.node_at(p);
  }
  return spot.node;  // only with an inconsistent LoadView
}

}  // namespace loadlab
