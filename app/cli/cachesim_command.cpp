#include "cachesim_command.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "cachesim/cache_sim.h"
#include "cachesim/key_counts.h"
#include "cachesim/next_use_file.h"
#include "cachesim/spatial_sampler.h"
#include "cachesim/trace.h"
#include "cachesim/trace_reader.h"
#include "cli_app.h"
#include "run_command.h"
#include "scenario/scenario.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab::cli {

const std::size_t kMaxCountedKeys = std::size_t{1} << 22;

const char* const kCachesimColumns = "policy,cache_size,requests,misses,miss_ratio,mreq_per_s,model_miss_ratio";

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    out.push_back(item);
  }
  return out;
}

// One entry of --sizes: an object count ("1000") or a fraction of the distinct keys ("0.01").
struct SizeSpec {
  double value;
  bool fraction;
};

std::vector<SizeSpec> parse_sizes(const std::string& text) {
  std::vector<SizeSpec> specs;
  for (const std::string& item : split(text)) {
    double v = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || error != std::errc{} || end != item.data() + item.size() || !std::isfinite(v))
      throw ScenarioError("--sizes", fmt::format("'{}' is not a number", item));
    if (v <= 0) throw ScenarioError("--sizes", fmt::format("sizes must be > 0 (got {})", item));
    const bool fraction = item.find('.') != std::string::npos || v < 1;
    if (fraction && v > 1) throw ScenarioError("--sizes", fmt::format("a fraction must be at most 1 (got {})", item));
    if (!fraction && v > static_cast<double>(kMaxCacheCapacity))
      throw ScenarioError("--sizes", fmt::format("at most {} objects (got {})", kMaxCacheCapacity, item));
    specs.push_back({v, fraction});
  }
  return specs;
}

std::vector<std::size_t> resolve_sizes(const std::vector<SizeSpec>& specs, std::uint64_t distinct) {
  std::vector<std::size_t> sizes;
  for (const SizeSpec& s : specs)
    sizes.push_back(static_cast<std::size_t>(
        s.fraction ? std::max(1.0, std::round(s.value * static_cast<double>(distinct))) : s.value));
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

// A miss-ratio curve: 16 sizes, evenly spaced in log scale from 0.1% to 100% of the keys.
std::vector<std::size_t> mrc_sizes(std::uint64_t distinct) {
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 16; ++i) {
    const double f = std::pow(10.0, -3.0 + 3.0 * i / 15.0);
    sizes.push_back(static_cast<std::size_t>(std::max(1.0, std::round(f * static_cast<double>(distinct)))));
  }
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

std::string num(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : ""; }

// Reading a trace through once only to count its keys (sizes given as fractions need the
// distinct count before the replay starts); only the sampled keys when sampling. False
// when Ctrl-C stopped it.
bool count_pass(TraceReader& reader, KeyCounts& counts, const std::optional<SpatialSampler>& sampler) {
  TraceBatch batch;
  while (reader.read(batch, 1 << 16)) {
    if (interrupted()) return false;
    for (std::uint64_t k : batch.keys)
      if (!sampler || sampler->keeps(k)) counts.add(k);
  }
  return true;
}

// Progress on stderr while a long trace is replayed, when stderr is a terminal: requests
// read, the rate, and the time left from the share of the file read so far.
class Progress {
 public:
  Progress(const TraceReader& reader, const std::string& file, bool enabled)
      : reader_(reader), enabled_(enabled && isatty(fileno(stderr))) {
    std::error_code error;
    file_bytes_ = static_cast<double>(std::filesystem::file_size(file, error));
    if (error) file_bytes_ = 0;
  }
  ~Progress() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }
  void operator()(std::uint64_t requests) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    shown_ = true;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(requests) / seconds : 0;
    const double done = file_bytes_ > 0 ? static_cast<double>(reader_.file_bytes_read()) / file_bytes_ : 0;
    std::string eta = "";
    if (done > 0.001 && done < 1)
      eta = fmt::format(", {:.0f}%, about {:.0f} s left", 100 * done, seconds * (1 - done) / done);
    fmt::print(stderr, "\r\033[K{} requests, {:.1f} M/s{}", requests, rate / 1e6, eta);
    std::fflush(stderr);
  }

 private:
  const TraceReader& reader_;
  bool enabled_, shown_ = false;
  double file_bytes_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

}  // namespace

int cachesim_command(const CachesimOptions& options) {
  std::vector<std::string> policies = split(options.policies);
  std::vector<std::size_t> sizes;
  std::vector<SimResult> results;
  // The models' popularity table is bounded: past kMaxCountedKeys distinct keys the models
  // are skipped with a note (and fractional sizes refused) rather than memory growing.
  KeyCounts counts(kMaxCountedKeys);
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> notes;
  const InterruptGuard on_ctrl_c;  // Ctrl-C ends the replay after the batch and prints it
  std::optional<SpatialSampler> sampler;
  try {
    if (!std::isfinite(options.sample_rate) || options.sample_rate <= 0 || options.sample_rate > 1)
      throw ScenarioError("--sample-rate", fmt::format("must be in (0, 1] (got {})", options.sample_rate));
    if (options.sample_rate < 1) sampler.emplace(options.sample_rate);
    for (const std::string& p : policies)
      if (!is_sim_policy(p))
        throw ScenarioError("--policies", fmt::format("unknown policy '{}' (known: {})", p, sim_policy_names()));
    TraceReadOptions read;
    read.format = parse_trace_format(options.format);
    read.key_column = options.key_column;
    read.size_column = options.size_column;
    const auto specs = options.mrc ? std::vector<SizeSpec>{} : parse_sizes(options.sizes);
    auto reader = TraceReader::open(options.trace, read);
    const auto no_requests = [&] {
      return TraceError(fmt::format("{}: the trace holds no requests ({})", options.trace,
                                    reader->has_next_access() ? "0 records at byte 0" : "no key on any line"));
    };
    const bool relative = options.mrc || std::any_of(specs.begin(), specs.end(), [](auto& s) { return s.fraction; });
    bool counted = false;
    std::uint64_t distinct = 0;
    if (relative) {
      // Fractions of the distinct keys need that count before the replay: one pass first
      // (under sampling, of the sampled keys, scaled up: SHARDS' estimate).
      notes.push_back(sampler
                          ? "sizes relative to the distinct keys: one pass first counted the sampled keys"
                          : "sizes relative to the distinct keys: one counting pass over the trace before the replay");
      auto first = TraceReader::open(options.trace, read);
      if (!count_pass(*first, counts, sampler)) {
        fmt::print(stderr, "loadlab-cli: interrupted while counting the keys; nothing was simulated\n");
        return kInterrupted;
      }
      if (first->requests_read() == 0) throw no_requests();
      if (counts.overflowed())
        throw ScenarioError("--sizes", fmt::format("the trace has more than {} distinct {}keys, too many to count for "
                                                   "fractional sizes or --mrc: give sizes as object counts{}",
                                                   kMaxCountedKeys, sampler ? "sampled " : "",
                                                   sampler ? "" : " or sample (--sample-rate)"));
      counted = true;
    }
    // Under sampling the counts are of the sampled keys: the distinct count is scaled up.
    distinct = sampler
                   ? static_cast<std::uint64_t>(std::llround(static_cast<double>(counts.distinct()) / sampler->rate()))
                   : counts.distinct();
    sizes = options.mrc ? mrc_sizes(distinct) : resolve_sizes(specs, distinct);
    std::unique_ptr<NextUseFile> next_use;
    if (std::find(policies.begin(), policies.end(), "belady") != policies.end() && !reader->has_next_access()) {
      notes.push_back(
          "belady: the trace has no next-access times (only oracleGeneral has); one extra pass over the file wrote "
          "them to a temporary file");
      auto first = TraceReader::open(options.trace, read);
      next_use = std::make_unique<NextUseFile>(*first);
    }
    StreamOptions stream;
    stream.threads = threads;
    stream.next_use = next_use.get();
    stream.sample_rate = options.sample_rate;
    stream.sample_min_objects = options.sample_min_objects;
    stream.cache_params.hill_climb = options.hill_climb;
    stream.stop = [] { return interrupted(); };
    Progress progress(*reader, options.trace, !options.quiet);
    stream.progress = [&progress](std::uint64_t done) { progress(done); };
    if (!counted)
      stream.beside = [&counts, &sampler](const TraceBatch& b) {
        for (std::uint64_t k : b.keys)
          if (!sampler || sampler->keeps(k)) counts.add(k);
      };
    results = simulate_stream(policies, sizes, *reader, stream);
    if (reader->requests_read() == 0) throw no_requests();
    if (sampler) {
      notes.push_back(fmt::format(
          "SHARDS: keys sampled at rate {} by hash; each size simulated at its share of the sample (size x rate) "
          "and its miss ratio estimated over the expected sampled count",
          sampler->rate()));
      std::string widened;
      for (const SimResult& r : results)
        if (r.policy == results.front().policy && r.sample_rate > sampler->rate())
          widened += fmt::format("{}{} at {:.4g}", widened.empty() ? "" : ", ", r.cache_size,
                                 r.sample_rate < 1 ? r.sample_rate : 1.0);
      if (!widened.empty())
        notes.push_back(
            fmt::format("SHARDS: sizes whose miniature would hold fewer than {} objects "
                        "(--sample-min-objects) ran at a higher rate (1: exactly): {}",
                        options.sample_min_objects, widened));
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }

  // Popularity of each key in this trace, for the models, unless there were too many keys.
  const bool modelled = !counts.overflowed();
  const std::vector<std::uint64_t> key_counts = modelled ? counts.counts() : std::vector<std::uint64_t>{};
  if (!modelled)
    notes.push_back(fmt::format(
        "model: skipped, the trace has more than {} distinct keys (the popularity table is bounded)", kMaxCountedKeys));
  auto model = [&](const SimResult& r) -> double {
    // Under sampling the model sees the sample its counts are of (the --sample-rate one,
    // whatever rate a small size was simulated at): the sampled keys' counts, the size
    // scaled by that rate, and the expected sampled count.
    const double n = static_cast<double>(r.requests) * (sampler ? sampler->rate() : 1.0);
    const double c = static_cast<double>(sampler ? sampler->scaled(r.cache_size) : r.cache_size);
    if (!modelled) return std::numeric_limits<double>::quiet_NaN();
    if (r.policy == "lru") return std::min(1.0, che_lru_trace_misses(key_counts, c) / n);
    if (r.policy == "fifo") return std::min(1.0, fifo_trace_misses(key_counts, c) / n);
    return std::numeric_limits<double>::quiet_NaN();
  };
  const std::uint64_t requests = results.empty() ? 0 : results.front().requests;
  if (interrupted())
    notes.push_back(fmt::format("interrupted (Ctrl-C) after {} requests: the figures are for those", requests));

  if (!options.quiet) {
    const auto distinct =
        sampler ? static_cast<std::uint64_t>(std::llround(static_cast<double>(counts.distinct()) / sampler->rate()))
                : counts.distinct();
    fmt::print("trace {}: {} requests, {}{} distinct keys{}; {} thread(s)\n", options.trace, requests,
               modelled ? "" : "more than ", distinct, sampler ? " (estimated from the sample)" : "", threads);
    for (const std::string& n : notes) fmt::print("note: {}\n", n);
    fmt::print("\n{:<10} {:>10} {:>12} {:>12} {:>10} {:>10} {:>10}\n", "policy", "size", "requests", "misses",
               "miss ratio", "model", "Mreq/s");
    for (const SimResult& r : results) {
      const double m = model(r);
      fmt::print("{:<10} {:>10} {:>12} {:>12} {:>10.4f} {:>10} {:>10.1f}\n", r.policy, r.cache_size, r.requests,
                 r.misses, r.miss_ratio(), std::isfinite(m) ? fmt::format("{:.4f}", m) : "-", r.mreq_per_s());
    }
    fmt::print(
        "\nmodel: Che's approximation for lru and its FIFO/RANDOM analogue for fifo, from this trace's key\n"
        "counts (independent reference model; each key's first request counted as a compulsory miss).\n");
  }
  if (options.csv) {
    std::ofstream out(*options.csv, std::ios::binary | std::ios::trunc);
    out << kCachesimColumns << '\n';
    for (const SimResult& r : results)
      out << fmt::format("{},{},{},{},{},{},{}\n", r.policy, r.cache_size, r.requests, r.misses, num(r.miss_ratio(), 6),
                         num(r.mreq_per_s(), 2), num(model(r), 6));
    out.flush();
    if (!out) {
      fmt::print(stderr, "loadlab-cli: error: cannot write '{}'\n", *options.csv);
      return kRuntimeError;
    }
    if (!options.quiet) fmt::print("wrote {}\n", *options.csv);
  }
  return interrupted() ? kInterrupted : kOk;
}

int trace_command(const TraceOptions& o) {
  TraceFormat format;
  try {
    format = parse_trace_format(o.format);
    if (format == TraceFormat::automatic) format = trace_format_of(o.out);
    if (!std::isfinite(o.zipf) || o.zipf < 0 || o.zipf > 10)
      throw ScenarioError("--zipf", fmt::format("must be from 0 to 10 (got {})", o.zipf));
    if (o.keys < 1 || o.keys > kMaxKeys)
      throw ScenarioError("--keys", fmt::format("must be from 1 to {} (got {})", kMaxKeys, o.keys));
    if (o.requests < 1 || o.requests > 1'000'000'000)
      throw ScenarioError("--requests", fmt::format("must be from 1 to 1000000000 (got {})", o.requests));
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }
  KeyPopularity p;
  p.kind = KeyPopularity::Kind::zipf;
  p.keys = o.keys;
  p.zipf_s = o.zipf;
  const KeyDistribution keys(p);
  Rng rng(o.seed);
  Trace t;
  t.keys.reserve(o.requests);
  for (std::uint64_t i = 0; i < o.requests; ++i) t.keys.push_back(keys.next(rng));
  try {
    write_trace(o.out, t, format);
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kRuntimeError;
  }
  fmt::print("wrote {} requests over {} keys (Zipf s = {}, seed {}) to {}\n", o.requests, o.keys, o.zipf, o.seed,
             o.out);
  return kOk;
}

}  // namespace loadlab::cli
