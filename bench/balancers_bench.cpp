// ns per pick for every registered balancer at 8, 64 and 1024 nodes (weights 1..5, so the
// weighted policies do real work), and the cost of building the hashing tables.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "balancers/balancer_registry.h"
#include "base/random.h"

namespace loadlab {
namespace {

class FlatLoad final : public LoadView {
 public:
  explicit FlatLoad(std::size_t n) : n_(n) {}
  std::size_t node_count() const override { return n_; }
  std::uint64_t in_flight(std::size_t node) const override { return node % 3; }
  // The engine keeps the total current incrementally; so does this view.
  std::uint64_t total_in_flight() const override { return n_; }
  std::uint64_t completed(std::size_t node) const override { return 100 + node; }
  std::uint64_t latency_sum_ns(std::size_t node) const override { return (100 + node) * 50'000; }
  std::int64_t now_ns() const override { return 1'000'000; }

 private:
  std::size_t n_;
};

std::vector<double> weights_1_to_5(std::size_t nodes) {
  std::vector<double> w(nodes);
  for (std::size_t i = 0; i < nodes; ++i) w[i] = 1 + static_cast<double>(i % 5);
  return w;
}

void BM_Pick(benchmark::State& state, const std::string& name) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make(name, BalancerOptions{1, {}});
  balancer->set_weights(weights_1_to_5(nodes));
  const FlatLoad load(nodes);
  Rng rng(2);
  std::uint64_t key = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(balancer->pick(PickContext{key, &load}));
    key += 0x9E3779B97F4A7C15ULL;
  }
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
  for (const auto& entry : balancers().entries())
    benchmark::RegisterBenchmark(("BM_Pick/" + entry.name).c_str(), BM_Pick, entry.name)->Arg(8)->Arg(64)->Arg(1024);
  for (const char* name : {"ring-hash", "maglev", "bounded-load", "weighted-round-robin"})
    benchmark::RegisterBenchmark((std::string("BM_Build/") + name).c_str(), BM_Build, std::string(name))
        ->Arg(64)
        ->Arg(1024)
        ->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace
}  // namespace loadlab
