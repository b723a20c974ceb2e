#pragma once
#include <vector>

#include "balancers/balancer.h"

namespace loadlab {

// Cycles through the nodes with weight > 0 in index order, ignoring the weight's size.
class RoundRobin final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::equal; }

 private:
  std::vector<std::size_t> eligible_;
  std::size_t cursor_ = 0;
};

}  // namespace loadlab
