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
  PairReplay(const std::string& policy, std::size_t size, std::size_t simulated, const CacheParams& params)
      : result_{policy, size, 0, 0, 0} {
    result_.sampled_cache_size = simulated;
    if (policy == "belady")
      belady_.emplace(simulated);
    else
      cache_ = caches().make(policy, CacheOptions{simulated, params});
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

  // Under sampling, each size's sampler (widened for small sizes), and the distinct ones from
  // the widest down: each level's sample is filtered from the one above it.
  std::optional<SpatialSampler> sampler;
  if (options.sample_rate < 1) sampler.emplace(options.sample_rate);
  std::vector<SpatialSampler> levels;
  std::vector<int> level_of_size;  // -1: exact, the batch as read
  for (std::size_t s : sizes) {
    if (!sampler) {
      level_of_size.push_back(-1);
      continue;
    }
    const SpatialSampler own = sampler->widened(s, options.sample_min_objects);
    if (own.exact()) {
      level_of_size.push_back(-1);
      continue;
    }
    auto it = std::find_if(levels.begin(), levels.end(),
                           [&](const SpatialSampler& l) { return l.threshold() == own.threshold(); });
    if (it == levels.end()) it = levels.insert(levels.end(), own);
    level_of_size.push_back(static_cast<int>(it - levels.begin()));
  }
  {
    // Widest first; the sizes' level numbers follow.
    std::vector<std::size_t> order(levels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return levels[a].threshold() > levels[b].threshold(); });
    std::vector<int> renumber(levels.size());
    std::vector<SpatialSampler> sorted;
    for (std::size_t i = 0; i < order.size(); ++i) {
      renumber[order[i]] = static_cast<int>(i);
      sorted.push_back(levels[order[i]]);
    }
    levels = std::move(sorted);
    for (int& l : level_of_size)
      if (l >= 0) l = renumber[static_cast<std::size_t>(l)];
  }
  std::vector<PairReplay> pairs;
  std::vector<int> level_of_pair;
  pairs.reserve(policies.size() * sizes.size());
  for (const auto& p : policies)
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const int l = level_of_size[i];
      pairs.emplace_back(p, sizes[i], l < 0 ? sizes[i] : levels[static_cast<std::size_t>(l)].scaled(sizes[i]),
                         options.cache_params);
      level_of_pair.push_back(l);
    }
  // A batch as read, and what the caches see of it at each sampling level.
  struct Batch {
    TraceBatch read;
    std::vector<TraceBatch> sampled;
    const TraceBatch& fed(int level) const { return level < 0 ? read : sampled[static_cast<std::size_t>(level)]; }
  };
  std::vector<std::function<void(const Batch&)>> tasks;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    tasks.emplace_back([&pair = pairs[i], level = level_of_pair[i]](const Batch& b) { pair.feed(b.fed(level)); });
  if (options.beside) tasks.emplace_back([&options](const Batch& b) { options.beside(b.read); });

  const std::size_t batch_size = std::max<std::size_t>(1, options.batch_requests);
  Batch batches[2];
  for (Batch& b : batches) b.sampled.resize(levels.size());
  std::uint64_t read_so_far = 0;
  auto fill = [&](Batch& b) {
    const bool more = reader.read(b.read, batch_size);
    if (more && next_from_file) options.next_use->read(read_so_far, b.read.size(), b.read.next);
    for (std::size_t l = 0; l < levels.size(); ++l) levels[l].filter(l == 0 ? b.read : b.sampled[l - 1], b.sampled[l]);
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
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    SimResult r = pairs[i].result();
    if (level_of_pair[i] >= 0) {
      r.sample_rate = levels[static_cast<std::size_t>(level_of_pair[i])].rate();
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
