#pragma once
// `loadlab-cli cachesim`: replay a trace through eviction policies at several sizes, with
// the Che (LRU) and FIFO models beside the measured LRU and FIFO miss ratios.
#include <optional>
#include <string>

namespace loadlab::cli {

struct CachesimOptions {
  std::string trace;
  std::string policies = "lru,fifo,clock,sieve,lfu,arc,s3fifo,wtinylfu,belady";
  std::string sizes = "0.01,0.1";
  bool mrc = false;
  double sample_rate = 1;  // < 1: SHARDS spatial sampling of the keys
  // Under sampling, the fewest objects a size's miniature cache may hold: smaller sizes run at
  // a higher rate (0: every size at --sample-rate).
  std::size_t sample_min_objects = 1000;
  bool hill_climb = false;  // wtinylfu: Caffeine's hill climber (CacheParams::hill_climb)
  std::string format = "auto";
  std::string key_column, size_column;
  unsigned threads = 0;  // 0: all cores
  std::optional<std::string> csv;
  bool quiet = false;
};

extern const char* const kCachesimColumns;
// Distinct keys the popularity table holds (the models, fractional sizes); 128 MiB at most.
extern const std::size_t kMaxCountedKeys;

int cachesim_command(const CachesimOptions& options);

// `loadlab-cli trace`: a synthetic Zipf trace.
struct TraceOptions {
  double zipf = 1.0;
  std::uint64_t keys = 100'000;
  std::uint64_t requests = 1'000'000;
  std::uint64_t seed = 1;
  std::string out;
  std::string format = "auto";  // by extension: .csv, .oracleGeneral/.bin, else text
};

int trace_command(const TraceOptions& options);

}  // namespace loadlab::cli
