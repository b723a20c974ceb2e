#include "balancers/peak_ewma.h"

#include <algorithm>
#include <cmath>

namespace loadlab {

namespace {
// Finagle's penalty for a node with requests outstanding but no latency measured yet.
constexpr double kPenalty = static_cast<double>(std::int64_t{0x7FFFFFFFFFFFFFFF} >> 16);
}  // namespace

void PeakEwma::set_weights(std::span<const double> weights) {
  weight_.assign(weights.begin(), weights.end());
  state_.resize(weights.size());  // keep what was learned about nodes that stay
  eligible_.clear();
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) eligible_.push_back(i);
}

void PeakEwma::observe(State& s, double rtt_ns, std::int64_t now_ns) const {
  const double elapsed = static_cast<double>(std::max<std::int64_t>(now_ns - s.stamp_ns, 0));
  s.stamp_ns = now_ns;
  if (rtt_ns > s.cost) {
    s.cost = rtt_ns;
    return;
  }
  // exp() is most of a pick's cost, and two cases need none: no time passed (w = e^0 = 1
  // exactly, so cost·1 + rtt·0 is cost) or nothing to decay (cost = rtt = 0 stays 0).
  if (elapsed == 0 || (s.cost == 0 && rtt_ns == 0)) return;
  const double w = std::exp(-elapsed / tau_ns_);
  s.cost = s.cost * w + rtt_ns * (1.0 - w);
}

double PeakEwma::load(std::size_t node, const LoadView& view) {
  State& s = state_[node];
  const std::int64_t now = view.now_ns();
  const std::uint64_t completed = view.completed(node);
  if (completed > s.completed) {
    const std::uint64_t sum = view.latency_sum_ns(node);
    observe(s, static_cast<double>(sum - s.latency_sum_ns) / static_cast<double>(completed - s.completed), now);
    s.completed = completed;
    s.latency_sum_ns = sum;
  }
  observe(s, 0.0, now);  // decay toward 0 while no answers come (Finagle's get())
  const auto outstanding = static_cast<double>(view.in_flight(node));
  const double cost = s.cost == 0.0 && outstanding != 0 ? kPenalty + outstanding : s.cost * (outstanding + 1);
  return cost / weight_[node];
}

std::size_t PeakEwma::pick(const PickContext& context) {
  const std::size_t n = eligible_.size();
  if (n == 0) return kNoNode;
  if (n == 1 || !context.load) return eligible_[n == 1 ? 0 : rng_.below(n)];
  // Two distinct nodes, uniformly (Finagle's P2C).
  const std::size_t a = rng_.below(n);
  std::size_t b = rng_.below(n - 1);
  if (b >= a) ++b;
  const double load_a = load(eligible_[a], *context.load);
  const double load_b = load(eligible_[b], *context.load);
  // Which load is lower is a coin flip to the branch predictor: select with a mask.
  const auto take_b = static_cast<std::size_t>(load_b < load_a);
  return eligible_[a ^ ((a ^ b) & (0 - take_b))];
}

}  // namespace loadlab
