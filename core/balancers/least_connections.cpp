#include "balancers/least_connections.h"

namespace loadlab {

void LeastConnections::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  if (cursor_ >= weight_.size()) cursor_ = 0;
}

std::size_t LeastConnections::pick(const PickContext& context) {
  const std::size_t n = weight_.size();
  std::size_t best = kNoNode;
  double best_load = 0;
  std::size_t i = cursor_;
  for (std::size_t k = 0; k < n; ++k, i = (i + 1 == n ? 0 : i + 1)) {
    if (weight_[i] <= 0) continue;
    const double in_flight = context.load ? static_cast<double>(context.load->in_flight(i)) : 0.0;
    const double load = in_flight / weight_[i];
    if (best == kNoNode || load < best_load) {
      best = i;
      best_load = load;
    }
  }
  if (best != kNoNode) cursor_ = best + 1 == n ? 0 : best + 1;
  return best;
}

}  // namespace loadlab
