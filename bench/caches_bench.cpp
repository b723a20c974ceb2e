// Requests per second for every cache policy (through the Cache interface, as the engine
// and the simulator call it) on a 1,000,000-request Zipf(1.0) trace over 100,000 keys
// already in memory, capacity 10,000, beside a straightforward std::list +
// std::unordered_map LRU measured in the same run as the baseline.
#include <benchmark/benchmark.h>

#include <list>
#include <unordered_map>

#include "caches/cache_registry.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

const std::vector<std::uint64_t>& zipf_trace() {
  static const std::vector<std::uint64_t> trace = [] {
    const KeyDistribution d(KeyPopularity{KeyPopularity::Kind::zipf, 100'000, 1.0});
    Rng rng(1);
    std::vector<std::uint64_t> t(1'000'000);
    for (auto& k : t) k = d.next(rng);
    return t;
  }();
  return trace;
}

class ListLru {
 public:
  explicit ListLru(std::size_t capacity) : capacity_(capacity) {}
  bool access(std::uint64_t key) {
    if (auto it = where_.find(key); it != where_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return true;
    }
    if (order_.size() == capacity_) {
      where_.erase(order_.back());
      order_.pop_back();
    }
    order_.push_front(key);
    where_[key] = order_.begin();
    return false;
  }

 private:
  std::size_t capacity_;
  std::list<std::uint64_t> order_;
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> where_;
};

template <class Cache>
void run_trace(benchmark::State& state) {
  const auto& trace = zipf_trace();
  std::uint64_t misses = 0;
  for (auto _ : state) {
    Cache cache(static_cast<std::size_t>(state.range(0)));
    for (std::uint64_t key : trace) misses += !cache.access(key);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace.size()));
  state.counters["misses"] = static_cast<double>(misses);
  state.counters["miss_ratio"] = static_cast<double>(misses) / static_cast<double>(state.iterations() * trace.size());
}

void BM_Cache(benchmark::State& state, const std::string& name) {
  const auto& trace = zipf_trace();
  std::uint64_t misses = 0;
  for (auto _ : state) {
    auto cache = caches().make(name, CacheOptions{static_cast<std::size_t>(state.range(0))});
    for (std::uint64_t key : trace) misses += !cache->access(key);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace.size()));
  state.counters["miss_ratio"] = static_cast<double>(misses) / static_cast<double>(state.iterations() * trace.size());
}

void BM_BaselineListLruAccess(benchmark::State& state) { run_trace<ListLru>(state); }
BENCHMARK(BM_BaselineListLruAccess)->Arg(10'000)->Unit(benchmark::kMillisecond);

const int registered = [] {
  for (const auto& e : caches().entries())
    if (e.name != "none")
      benchmark::RegisterBenchmark(("BM_Cache/" + e.name).c_str(), BM_Cache, e.name)
          ->Arg(10'000)
          ->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace
}  // namespace loadlab
