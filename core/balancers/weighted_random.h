#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "base/alias_table.h"
#include "base/random.h"

namespace loadlab {

// `weighted-random`: node i is chosen with probability w_i / Σw, independently per request,
// in O(1) through an alias table.
class WeightedRandom final : public Balancer {
 public:
  explicit WeightedRandom(std::uint64_t seed) : rng_(seed) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::weighted; }

 private:
  Rng rng_;
  AliasTable table_;
};

}  // namespace loadlab
