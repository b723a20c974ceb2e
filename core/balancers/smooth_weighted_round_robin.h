#pragma once
#include <cstdint>
#include <vector>

#include "balancers/balancer.h"

namespace loadlab {

// `weighted-round-robin`: nginx's smooth weighted round robin. Every pick adds each node's
// weight to its current weight, picks the largest current weight (the first on ties) and
// subtracts the total weight from it. Weights 5,1,1 give the repeating sequence
// a a b a c a a: proportional, and the heavy node's turns are spread out, not bunched.
// A weight change restarts the sequence from zero current weights, as nginx does when it
// reloads its upstreams.
//
// nginx's loop is O(n) per pick. With whole-number weights the current weights return to
// all zeros after exactly Σw picks, so the sequence is periodic with period Σw: we run the
// loop once per weight change to record one period and then pick in O(1) from the recorded
// schedule — the same sequence, pick for pick. Fractional weights, or a period too long to
// record (Σw · n above kMaxScheduleWork), fall back to running the loop on every pick.
class SmoothWeightedRoundRobin final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::weighted; }

  bool uses_schedule() const { return !schedule_.empty(); }
  static constexpr std::uint64_t kMaxScheduleWork = 1ULL << 26;
  static constexpr std::uint64_t kMaxSchedulePeriod = 1ULL << 22;

 private:
  std::size_t step();  // one iteration of nginx's loop

  std::vector<double> weight_;
  std::vector<double> current_;
  double total_ = 0;
  std::vector<std::uint32_t> schedule_;  // one period; empty when picking by the loop
  std::size_t position_ = 0;
};

}  // namespace loadlab
