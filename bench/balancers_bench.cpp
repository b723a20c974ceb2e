// ns per pick for every registered balancer at 8, 64 and 1024 nodes.
#include <benchmark/benchmark.h>

#include "balancer_registry.h"
#include "random.h"

namespace loadlab {
namespace {

class FlatLoad final : public LoadView {
 public:
  explicit FlatLoad(std::size_t n) : n_(n) {}
  std::size_t node_count() const override { return n_; }
  std::uint64_t in_flight(std::size_t node) const override { return node % 3; }

 private:
  std::size_t n_;
};

void BM_Pick(benchmark::State& state, const std::string& name) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  auto balancer = balancers().make(name, BalancerOptions{1, {}});
  std::vector<double> weights(nodes);
  for (std::size_t i = 0; i < nodes; ++i) weights[i] = 1 + static_cast<double>(i % 5);
  balancer->set_weights(weights);
  const FlatLoad load(nodes);
  Rng rng(2);
  std::uint64_t key = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(balancer->pick(PickContext{key, &load}));
    key += 0x9E3779B97F4A7C15ULL;
  }
  state.SetItemsProcessed(state.iterations());
}

const int registered = [] {
  for (const auto& entry : balancers().entries())
    benchmark::RegisterBenchmark(("BM_Pick/" + entry.name).c_str(), BM_Pick, entry.name)->Arg(8)->Arg(64)->Arg(1024);
  return 0;
}();

}  // namespace
}  // namespace loadlab
