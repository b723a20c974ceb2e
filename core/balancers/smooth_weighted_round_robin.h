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
// nginx's loop is O(n) per pick. With whole-number weights W = Σw the arithmetic is exact,
// and three facts give the same sequence, pick for pick, for less:
//  - After t picks of which node i took c_i, its current weight is t·w_i − W·c_i. Nodes of
//    equal weight therefore keep their order: the one picked fewer times is ahead, and among
//    equals the lowest index. So each class of equal weights takes its turns in index order,
//    and a pick only compares the head of each class: O(distinct weights).
//  - The current weights are all zero again after exactly W picks, so the sequence has
//    period W: when W and W × classes are small enough (kMaxSchedulePeriod,
//    kMaxScheduleWork) one period is recorded at the weight change and picks read it in O(1).
//  - Current weights stay within ±n·W, so while n·W <= 2^53 doubles hold them exactly and
//    the integer version is the loop's own result.
// Fractional weights (slow start makes them) or n·W above 2^53 keep nginx's loop, because
// with rounding a node's current weight depends on the order of every addition it saw: no
// shortcut reproduces the loop's doubles bit for bit.
class SmoothWeightedRoundRobin final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::weighted; }

  bool uses_schedule() const { return !schedule_.empty(); }
  bool uses_weight_classes() const { return schedule_.empty() && !classes_.empty(); }
  static constexpr std::uint64_t kMaxScheduleWork = 1ULL << 26;
  static constexpr std::uint64_t kMaxSchedulePeriod = 1ULL << 22;

 private:
  // The nodes of one weight, in index order; the head is the next of them to be picked.
  struct WeightClass {
    std::int64_t weight;
    std::int64_t turns = 0;    // picks of the head so far this period
    std::uint32_t head = 0;    // index into members_
    std::uint32_t begin, end;  // the class's range of members_
  };
  std::size_t step();        // one iteration of nginx's loop
  std::size_t class_step();  // the same pick from the weight classes

  std::vector<double> weight_;
  std::vector<double> current_;
  double total_ = 0;
  std::vector<std::uint32_t> schedule_;  // one period; empty when picking otherwise
  std::size_t position_ = 0;
  std::vector<WeightClass> classes_;  // empty when picking by the loop
  std::vector<std::uint32_t> members_;
  std::int64_t period_ = 0, picks_ = 0;  // W, and picks so far this period
};

}  // namespace loadlab
