#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "base/random.h"

namespace loadlab {

// `peak-ewma`: Finagle's and Linkerd's latency-aware balancer. Each node's cost is a
// peak-sensitive moving average of its latency: a latency above the average replaces it at
// once (a node that turns slow is avoided immediately), one below it is blended in with
// weight 1 − e^(−Δt/τ) (a node that recovers earns trust back over the decay time τ), and
// the average also decays toward 0 while the node gets no answers, so it is tried again.
// Load = cost × (in_flight + 1); a node with no latency yet but requests outstanding gets
// a large penalty. Like Finagle, two distinct nodes are drawn at random and the one with the
// lower load wins (power of two choices). LoadLab divides the load by the node's weight.
//
// The engine's nodes report latencies through cumulative counters, so each observation is
// the mean latency of the requests a node finished since the balancer last looked at it.
class PeakEwma final : public Balancer {
 public:
  PeakEwma(std::uint64_t seed, double decay_ms) : rng_(seed), tau_ns_(decay_ms * 1e6) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }

  // The node's current cost estimate in nanoseconds (for tests and the GUI).
  double cost_ns(std::size_t node) const { return state_[node].cost; }

 private:
  struct State {
    double cost = 0;              // ns
    std::int64_t stamp_ns = 0;    // when cost was last updated
    std::uint64_t completed = 0;  // counters at the last observation
    std::uint64_t latency_sum_ns = 0;
  };
  void observe(State& s, double rtt_ns, std::int64_t now_ns) const;
  double load(std::size_t node, const LoadView& view);

  Rng rng_;
  double tau_ns_;
  std::vector<std::size_t> eligible_;
  std::vector<double> weight_;
  std::vector<State> state_;
};

}  // namespace loadlab
