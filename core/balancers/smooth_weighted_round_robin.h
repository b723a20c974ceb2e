#pragma once
#include <vector>

#include "../balancer.h"

namespace loadlab {

// `weighted-round-robin`: nginx's smooth weighted round robin. Every pick adds each node's
// weight to its current weight, picks the largest current weight (the first on ties) and
// subtracts the total weight from it. Weights 5,1,1 give the repeating sequence
// a a b a c a a: proportional, and the heavy node's turns are spread out, not bunched.
// A weight change restarts the sequence from zero current weights, as nginx does when it
// reloads its upstreams.
class SmoothWeightedRoundRobin final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::weighted; }

 private:
  std::vector<double> weight_;
  std::vector<double> current_;
  double total_ = 0;
};

}  // namespace loadlab
