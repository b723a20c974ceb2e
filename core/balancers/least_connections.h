#pragma once
#include <vector>

#include "balancers/balancer.h"

namespace loadlab {

// `least-connections`: the node with the fewest requests in flight per unit of weight
// (in_flight / w, as nginx's `least_conn` and HAProxy's `leastconn` weigh it). Ties go
// round robin: the scan starts just after the previous pick, and the first of the tied
// nodes in that order wins, so idle equal nodes share evenly instead of node 0 taking all.
// O(n) per pick.
class LeastConnections final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }

 private:
  std::vector<double> weight_;
  std::size_t cursor_ = 0;
};

}  // namespace loadlab
