#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "base/random.h"

namespace loadlab {

// `random`: each request goes to a node with weight > 0 chosen uniformly at random.
class RandomChoice final : public Balancer {
 public:
  explicit RandomChoice(std::uint64_t seed) : rng_(seed) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::equal; }

 private:
  Rng rng_;
  std::vector<std::size_t> eligible_;
};

}  // namespace loadlab
