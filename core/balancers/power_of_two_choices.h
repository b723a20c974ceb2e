#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "base/alias_table.h"
#include "base/random.h"

namespace loadlab {

// `p2c`: power of d choices on requests in flight — Envoy's LEAST_REQUEST. Samples
// `choices` nodes (default 2) at random, with replacement as Envoy does, and sends the
// request to the one with the fewest in flight; the first sampled wins a tie. With unequal
// weights the samples are drawn with probability w_i / Σw and compared on
// (in_flight + 1) / w_i, so a heavier node is both offered more often and allowed more
// outstanding work. O(choices) per pick (weighted draws use an alias table).
class PowerOfTwoChoices final : public Balancer {
 public:
  PowerOfTwoChoices(std::uint64_t seed, unsigned choices) : rng_(seed), choices_(choices < 1 ? 1 : choices) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }

 private:
  std::size_t sample();

  Rng rng_;
  unsigned choices_;
  std::vector<std::size_t> eligible_;  // nodes with weight > 0
  std::vector<double> weight_;
  AliasTable by_weight_;  // over all nodes, only when weights differ
  bool equal_weights_ = true;
};

}  // namespace loadlab
