#include "cachesim/cache_sim.h"

#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "caches/belady.h"
#include "caches/cache_registry.h"
#include "cachesim/next_use_file.h"
#include "cachesim/spatial_sampler.h"
#include "cachesim/trace.h"
#include "cachesim/trace_reader.h"

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

namespace {

// One (policy, size) pair of a streamed replay: its cache and its running counts.
class PairReplay {
 public:
  // `simulated` is the cache's own size: `size`, or its miniature under sampling.
  PairReplay(const std::string& policy, std::size_t size, std::size_t simulated) : result_{policy, size, 0, 0, 0} {
    result_.sampled_cache_size = simulated;
    if (policy == "belady")
      belady_.emplace(simulated);
    else
      cache_ = caches().make(policy, CacheOptions{simulated});
  }
  void feed(const TraceBatch& batch) {
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t misses = 0;
    if (belady_) {
      for (std::size_t i = 0; i < batch.keys.size(); ++i) misses += !belady_->access(batch.keys[i], batch.next[i]);
    } else {
      Cache& cache = *cache_;
      for (std::uint64_t k : batch.keys) misses += !cache.access(k);
    }
    result_.misses += misses;
    result_.requests += batch.keys.size();
    result_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  SimResult& result() { return result_; }

 private:
  SimResult result_;
  std::unique_ptr<Cache> cache_;
  std::optional<Belady> belady_;
};

}  // namespace

std::vector<SimResult> simulate_stream(const std::vector<std::string>& policies, const std::vector<std::size_t>& sizes,
                                       TraceReader& reader, const StreamOptions& options) {
  bool belady = false;
  for (const auto& p : policies) belady = belady || p == "belady";
  if (belady && !reader.has_next_access() && options.next_use == nullptr)
    throw std::invalid_argument("belady needs next-access times: the trace has none and no next-use file was given");
  const bool next_from_file = belady && !reader.has_next_access();

  std::optional<SpatialSampler> sampler;
  if (options.sample_rate < 1) sampler.emplace(options.sample_rate);
  std::vector<PairReplay> pairs;
  pairs.reserve(policies.size() * sizes.size());
  for (const auto& p : policies)
    for (std::size_t s : sizes) pairs.emplace_back(p, s, sampler ? sampler->scaled(s) : s);
  // A batch as read, and what the caches see of it (the same batch unless sampling).
  struct Batch {
    TraceBatch read, sampled;
    const TraceBatch& fed(bool sampling) const { return sampling ? sampled : read; }
  };
  const bool sampling = sampler.has_value();
  std::vector<std::function<void(const Batch&)>> tasks;
  for (auto& pair : pairs) tasks.emplace_back([&pair, sampling](const Batch& b) { pair.feed(b.fed(sampling)); });
  if (options.beside) tasks.emplace_back([&options](const Batch& b) { options.beside(b.read); });

  const std::size_t batch_size = std::max<std::size_t>(1, options.batch_requests);
  Batch batches[2];
  std::uint64_t read_so_far = 0;
  auto fill = [&](Batch& b) {
    const bool more = reader.read(b.read, batch_size);
    if (more && next_from_file) options.next_use->read(read_so_far, b.read.size(), b.read.next);
    if (sampling) sampler->filter(b.read, b.sampled);
    read_so_far += b.read.size();
    return more;
  };

  // Two phases per batch, separated by the barrier: the workers share out the tasks on the
  // current batch (each task is one pair, so a pair sees the batches in order on whichever
  // thread takes it) while this thread reads the next batch into the other buffer.
  const auto workers =
      static_cast<unsigned>(std::clamp<std::size_t>(options.threads, 1, std::max<std::size_t>(1, tasks.size())));
  std::barrier sync(static_cast<std::ptrdiff_t>(workers) + 1);
  std::atomic<std::size_t> cursor{0};
  const Batch* current = nullptr;
  bool done = false;
  auto work = [&] {
    for (;;) {
      sync.arrive_and_wait();
      if (done) return;
      for (std::size_t t; (t = cursor.fetch_add(1)) < tasks.size();) tasks[t](*current);
      sync.arrive_and_wait();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < workers; ++t) pool.emplace_back(work);

  std::exception_ptr error;
  try {
    int cur = 0;
    bool more = fill(batches[0]);
    while (more) {
      current = &batches[cur];
      cursor = 0;
      sync.arrive_and_wait();  // the workers start on `current`
      try {
        more = !(options.stop && options.stop()) && fill(batches[1 - cur]);
      } catch (...) {
        error = std::current_exception();
        more = false;
      }
      sync.arrive_and_wait();  // and have finished it
      if (options.progress) options.progress(read_so_far - (more ? batches[1 - cur].read.size() : 0));
      cur = 1 - cur;
    }
  } catch (...) {
    error = std::current_exception();
  }
  done = true;
  sync.arrive_and_wait();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  std::vector<SimResult> results;
  results.reserve(pairs.size());
  for (auto& pair : pairs) {
    SimResult r = pair.result();
    if (sampling) {
      r.sample_rate = sampler->rate();
      r.sampled_requests = r.requests;
      r.sampled_misses = r.misses;
      r.requests = read_so_far;
      r.misses = std::min<std::uint64_t>(
          r.requests, static_cast<std::uint64_t>(std::llround(static_cast<double>(r.sampled_misses) / r.sample_rate)));
    }
    results.push_back(r);
  }
  return results;
}

}  // namespace loadlab
