#include "cachesim/cache_sim.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "caches/belady.h"
#include "caches/cache_registry.h"
#include "cachesim/trace.h"

namespace loadlab {

bool is_sim_policy(const std::string& name) { return name == "belady" || (name != "none" && caches().contains(name)); }

std::string sim_policy_names() {
  std::string out;
  for (const auto& e : caches().entries())
    if (e.name != "none") out += (out.empty() ? "" : ", ") + e.name;
  return out + ", belady";
}

SimResult simulate(const std::string& policy, const std::vector<std::uint64_t>& keys,
                   const std::vector<std::uint64_t>& next, std::size_t cache_size) {
  SimResult r{policy, cache_size, keys.size(), 0, 0};
  const auto start = std::chrono::steady_clock::now();
  if (policy == "belady") {
    r.misses = belady_misses(keys, next, cache_size);
  } else {
    auto cache = caches().make(policy, CacheOptions{cache_size});
    std::uint64_t misses = 0;
    for (std::uint64_t k : keys) misses += !cache->access(k);
    r.misses = misses;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::vector<SimResult> simulate_all(const std::vector<std::string>& policies, const std::vector<std::size_t>& sizes,
                                    const std::vector<std::uint64_t>& keys, unsigned threads) {
  std::vector<std::uint64_t> next;
  for (const auto& p : policies)
    if (p == "belady") next = next_use(keys);
  std::vector<SimResult> results(policies.size() * sizes.size());
  std::atomic<std::size_t> cursor{0};
  auto worker = [&] {
    for (std::size_t task; (task = cursor.fetch_add(1)) < results.size();)
      results[task] = simulate(policies[task / sizes.size()], keys, next, sizes[task % sizes.size()]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace loadlab
