#pragma once
// The trace-driven cache simulator behind `loadlab-cli cachesim`: every policy of the cache
// registry plus `belady`, one (policy, size) pair per task, the pairs spread over worker
// threads. simulate_stream() replays a trace as it is read, every pair fed from one pass in
// batches; simulate() and simulate_all() replay keys already in memory.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "caches/cache_params.h"

namespace loadlab {

struct SimResult {
  std::string policy;
  std::size_t cache_size = 0;
  std::uint64_t requests = 0;
  std::uint64_t misses = 0;
  double seconds = 0;  // simulation time of this pair alone (single thread)
  // SHARDS sampling (StreamOptions::sample_rate < 1): `misses` is then the estimate
  // sampled_misses / rate, from a cache of `sampled_cache_size` fed `sampled_requests`.
  double sample_rate = 1;
  std::uint64_t sampled_requests = 0, sampled_misses = 0;
  std::size_t sampled_cache_size = 0;
  double miss_ratio() const {
    if (sample_rate < 1)  // SHARDS_adj: over the expected sampled count, not the actual one
      return requests
                 ? std::min(1.0, static_cast<double>(sampled_misses) / (sample_rate * static_cast<double>(requests)))
                 : 0;
    return requests ? static_cast<double>(misses) / static_cast<double>(requests) : 0;
  }
  double mreq_per_s() const { return seconds > 0 ? static_cast<double>(requests) / seconds / 1e6 : 0; }
};

// True for the registry's policies and for "belady"; "none" is not a simulator policy.
bool is_sim_policy(const std::string& name);
std::string sim_policy_names();

// One policy at one size. `next` (next_use of keys) is needed only by belady.
SimResult simulate(const std::string& policy, const std::vector<std::uint64_t>& keys,
                   const std::vector<std::uint64_t>& next, std::size_t cache_size);

// Every policy at every size, on `threads` threads; results in policy-major order.
std::vector<SimResult> simulate_all(const std::vector<std::string>& policies, const std::vector<std::size_t>& sizes,
                                    const std::vector<std::uint64_t>& keys, unsigned threads);

class TraceReader;
class NextUseFile;
struct TraceBatch;

struct StreamOptions {
  unsigned threads = 1;                                       // simulation threads; reading runs beside them
  std::size_t batch_requests = 1 << 16;                       // requests per batch (two batches are held)
  const NextUseFile* next_use = nullptr;                      // belady's next-access times when the trace has none
  std::function<void(const TraceBatch&)> beside;              // one more task on every batch (counting keys)
  std::function<void(std::uint64_t requests_done)> progress;  // on the reading thread, after a batch
  std::function<bool()> stop;                                 // when it answers true, the replay ends after the batch
  double sample_rate = 1;                                     // < 1: SHARDS spatial sampling (spatial_sampler.h)
  // Under sampling, a size whose miniature would hold fewer objects is simulated at the rate
  // that gives it this many (SpatialSampler::widened; at rate 1, exactly). 0: every size at
  // sample_rate.
  std::size_t sample_min_objects = 0;
  CacheParams cache_params{};  // the policies' tuning (wtinylfu: hill climbing)
};

// Every policy at every size over one pass of `reader`, in policy-major order. While the
// workers replay one batch the calling thread reads the next. Throws TraceError from the
// reader, std::invalid_argument for belady without next-access times.
std::vector<SimResult> simulate_stream(const std::vector<std::string>& policies, const std::vector<std::size_t>& sizes,
                                       TraceReader& reader, const StreamOptions& options);

}  // namespace loadlab
