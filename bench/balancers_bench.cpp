// ns per pick for every registered balancer at 64 and 10,000 nodes (weights 1..5, so the
// weighted policies do real work), and the cost of building the hashing tables.
//
// BM_Pick: a fixed load (node i has i % 3 in flight), as the pick sees it between two
// changes. BM_PickChurn: the load moves as a driver's does — every pick adds one request at
// the chosen node, the oldest request in flight finishes and the clock moves — and both
// nodes are reported (balancer.h's load tracking), so load-aware policies pay for following
// the changes too. BM_PickUntracked: the fixed load through a view that does not report
// changes, which least-connections answers with a scan of every node.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "balancers/balancer_registry.h"
#include "base/random.h"

namespace loadlab {
namespace {

class FlatLoad final : public LoadView {
 public:
  FlatLoad(std::size_t n, bool reports) : n_(n), reports_(reports) {}
  std::size_t node_count() const override { return n_; }
  std::uint64_t in_flight(std::size_t node) const override { return node % 3; }
  // The engine keeps the total current incrementally; so does this view.
  std::uint64_t total_in_flight() const override { return n_; }
  std::uint64_t completed(std::size_t node) const override { return 100 + node; }
  std::uint64_t latency_sum_ns(std::size_t node) const override { return (100 + node) * 50'000; }
  std::int64_t now_ns() const override { return 1'000'000; }
  bool reports_load_changes() const override { return reports_; }  // nothing ever changes

 private:
  std::size_t n_;
  bool reports_;
};

// Requests in flight as a FIFO of node ids: a pick appends one, the oldest one finishes
// (after 50..110 us of latency, by node), and the clock moves 100 ns per pick.
class ChurningLoad final : public LoadView {
 public:
  explicit ChurningLoad(std::size_t n) : in_flight_(n, 0), completed_(n, 0), latency_sum_ns_(n, 0) {
    Rng rng(11);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t r = 0; r < i % 3; ++r) queue_.push_back(static_cast<std::uint32_t>(i));
    for (std::size_t i = queue_.size(); i > 1; --i) std::swap(queue_[i - 1], queue_[rng.below(i)]);
    for (std::uint32_t node : queue_) ++in_flight_[node];
  }
  std::size_t node_count() const override { return in_flight_.size(); }
  std::uint64_t in_flight(std::size_t node) const override { return in_flight_[node]; }
  std::uint64_t total_in_flight() const override { return queue_.size(); }
  std::uint64_t completed(std::size_t node) const override { return completed_[node]; }
  std::uint64_t latency_sum_ns(std::size_t node) const override { return latency_sum_ns_[node]; }
  std::int64_t now_ns() const override { return now_ns_; }
  bool reports_load_changes() const override { return true; }

  // Sends one request to `node` and finishes the oldest; returns the node that finished.
  std::size_t send_and_finish(std::size_t node) {
    const std::size_t done = queue_[head_];
    queue_[head_] = static_cast<std::uint32_t>(node);  // the newest takes the oldest's slot
    head_ = head_ + 1 == queue_.size() ? 0 : head_ + 1;
    ++in_flight_[node];
    --in_flight_[done];
    ++completed_[done];
    latency_sum_ns_[done] += 50'000 + 10'000 * (done % 7);
    now_ns_ += 100;
    return done;
  }

 private:
  std::vector<std::uint64_t> in_flight_, completed_, latency_sum_ns_;
  std::vector<std::uint32_t> queue_;
  std::size_t head_ = 0;
  std::int64_t now_ns_ = 1'000'000;
};

std::vector<double> weights_1_to_5(std::size_t nodes) {
  std::vector<double> w(nodes);
  for (std::size_t i = 0; i < nodes; ++i) w[i] = 1 + static_cast<double>(i % 5);
  return w;
}

void pick_fixed(benchmark::State& state, const std::string& name, bool reports) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make(name, BalancerOptions{1, {}});
  balancer->set_weights(weights_1_to_5(nodes));
  const FlatLoad load(nodes, reports);
  std::uint64_t key = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(balancer->pick(PickContext{key, &load}));
    key += 0x9E3779B97F4A7C15ULL;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Pick(benchmark::State& state, const std::string& name) { pick_fixed(state, name, true); }
void BM_PickUntracked(benchmark::State& state, const std::string& name) { pick_fixed(state, name, false); }

void BM_PickChurn(benchmark::State& state, const std::string& name) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make(name, BalancerOptions{1, {}});
  balancer->set_weights(weights_1_to_5(nodes));
  ChurningLoad load(nodes);
  std::uint64_t key = 0;
  for (auto _ : state) {
    const std::size_t node = balancer->pick(PickContext{key, &load});
    balancer->on_load_changed(node);
    balancer->on_load_changed(load.send_and_finish(node));
    key += 0x9E3779B97F4A7C15ULL;
  }
  state.SetItemsProcessed(state.iterations());
}

// Smooth WRR off its recorded schedule: weights k × (1..5) with Σw ≈ 2^23, a period too long
// to record (picks step the 5 weight classes); fractional weights (slow start) keep nginx's loop.
void BM_PickWeights(benchmark::State& state, bool fractional) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make("weighted-round-robin", BalancerOptions{1, {}});
  std::vector<double> w = weights_1_to_5(nodes);
  double total = 0;
  for (double x : w) total += x;
  const double k = std::ceil(0x1p23 / total);
  for (double& x : w) x = fractional ? x * 0.7 + 0.05 : x * k;
  balancer->set_weights(w);
  for (auto _ : state) benchmark::DoNotOptimize(balancer->pick(PickContext{}));
  state.SetItemsProcessed(state.iterations());
}

// Rebuild after a weight change: what a live weight drag costs the dispatcher.
void BM_Build(benchmark::State& state, const std::string& name) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make(name, BalancerOptions{1, {}});
  std::vector<double> a = weights_1_to_5(nodes), b = a;
  b[0] += 1;
  bool flip = false;
  for (auto _ : state) {
    balancer->set_weights((flip = !flip) ? b : a);
    benchmark::ClobberMemory();
  }
  state.SetLabel(fmt::format("{} nodes", nodes));
}

const int registered = [] {
  for (const auto& entry : balancers().entries()) {
    benchmark::RegisterBenchmark(("BM_Pick/" + entry.name).c_str(), BM_Pick, entry.name)->Arg(64)->Arg(10'000);
    benchmark::RegisterBenchmark(("BM_PickChurn/" + entry.name).c_str(), BM_PickChurn, entry.name)
        ->Arg(64)
        ->Arg(10'000);
  }
  benchmark::RegisterBenchmark("BM_PickUntracked/least-connections", BM_PickUntracked, "least-connections")
      ->Arg(64)
      ->Arg(10'000);
  benchmark::RegisterBenchmark("BM_PickLongPeriod/weighted-round-robin", BM_PickWeights, false)->Arg(64)->Arg(10'000);
  benchmark::RegisterBenchmark("BM_PickFractional/weighted-round-robin", BM_PickWeights, true)->Arg(64)->Arg(10'000);
  for (const char* name : {"ring-hash", "maglev", "bounded-load", "weighted-round-robin", "least-connections"})
    benchmark::RegisterBenchmark((std::string("BM_Build/") + name).c_str(), BM_Build, std::string(name))
        ->Arg(64)
        ->Arg(10'000)
        ->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace
}  // namespace loadlab
