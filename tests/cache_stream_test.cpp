// The streaming replay behind `cachesim`: every policy gives the same misses as the
// in-memory replay, whatever the format, the batch size or the thread count; belady streams
// from oracleGeneral's next-access times and from the extra pass for text and CSV; a trace
// broken mid-stream stops every worker and reaches the caller.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>

#include <filesystem>
#include <fstream>

#include "caches/cache_registry.h"
#include "caches/lru.h"
#include "cachesim/cache_sim.h"
#include "cachesim/key_counts.h"
#include "cachesim/next_use_file.h"
#include "cachesim/spatial_sampler.h"
#include "cachesim/trace.h"
#include "cachesim/trace_reader.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

std::vector<std::uint64_t> zipf_keys(std::size_t requests, std::uint64_t keys, double s, std::uint64_t seed) {
  KeyPopularity p;
  p.kind = KeyPopularity::Kind::zipf;
  p.keys = keys;
  p.zipf_s = s;
  const KeyDistribution d(p);
  Rng rng(seed);
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < requests; ++i) out.push_back(d.next(rng));
  return out;
}

std::vector<std::string> every_policy() {
  std::vector<std::string> out;
  for (const auto& e : caches().entries())
    if (e.name != "none") out.push_back(e.name);
  out.push_back("belady");
  return out;
}

class StreamingReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("loadlab_stream_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StreamingReplay, SameMissesAsTheInMemoryReplayForEveryPolicyFormatBatchAndThreadCount) {
  Trace t;
  t.keys = zipf_keys(40'000, 3000, 0.9, 21);
  const auto next = next_use(t.keys);
  const std::vector<std::size_t> sizes{1, 37, 300, 2500};
  const auto policies = every_policy();
  std::vector<std::uint64_t> expected;
  for (const auto& p : policies)
    for (std::size_t s : sizes) expected.push_back(simulate(p, t.keys, next, s).misses);

  for (const char* name : {"t.oracleGeneral.zst", "t.oracleGeneral", "t.txt.zst", "t.csv"}) {
    const auto path = dir_ / name;
    write_trace(path, t, trace_format_of(path));
    for (auto [threads, batch] :
         {std::pair{1u, std::size_t{997}}, std::pair{3u, std::size_t{4096}}, std::pair{2u, std::size_t{1} << 16}}) {
      auto reader = TraceReader::open(path, {});
      std::unique_ptr<NextUseFile> next_file;
      if (!reader->has_next_access()) {
        auto first = TraceReader::open(path, {});
        next_file = std::make_unique<NextUseFile>(*first);
      }
      StreamOptions o;
      o.threads = threads;
      o.batch_requests = batch;
      o.next_use = next_file.get();
      std::uint64_t batches = 0, last_progress = 0;
      o.progress = [&](std::uint64_t done) {
        ++batches;
        EXPECT_GT(done, last_progress);
        last_progress = done;
      };
      const auto results = simulate_stream(policies, sizes, *reader, o);
      ASSERT_EQ(results.size(), expected.size());
      for (std::size_t i = 0; i < results.size(); ++i) {
        EXPECT_EQ(results[i].policy, policies[i / sizes.size()]);
        EXPECT_EQ(results[i].cache_size, sizes[i % sizes.size()]);
        EXPECT_EQ(results[i].requests, t.keys.size());
        EXPECT_EQ(results[i].misses, expected[i])
            << name << ": " << results[i].policy << " at " << results[i].cache_size << ", " << threads
            << " thread(s), batches of " << batch;
      }
      EXPECT_EQ(batches, (t.keys.size() + batch - 1) / batch) << name;
      EXPECT_EQ(last_progress, t.keys.size()) << name;
    }
  }
}

TEST_F(StreamingReplay, TheExtraPassForTextTracesGivesNextUseOfTheWholeTrace) {
  Trace t;
  t.keys = zipf_keys(200'000, 50, 0.5, 3);
  const auto path = dir_ / "t.txt";
  write_trace(path, t, TraceFormat::text);
  auto reader = TraceReader::open(path, {});
  const NextUseFile file(*reader);
  ASSERT_EQ(file.requests(), t.keys.size());
  std::vector<std::uint64_t> got;
  file.read(0, t.keys.size(), got);
  EXPECT_EQ(got, next_use(t.keys));
  EXPECT_THROW(file.read(t.keys.size() - 1, 2, got), std::out_of_range);
}

TEST_F(StreamingReplay, NextUseFileGrowsPastItsFirstMapping) {
  Trace t;
  t.keys = zipf_keys((1 << 20) + 70'000, 10'000, 0.8, 9);  // past the first 2^20 entries
  const auto path = dir_ / "big.oracleGeneral";
  write_trace(path, t, TraceFormat::oracle_general);
  auto reader = TraceReader::open(path, {});
  const NextUseFile file(*reader);
  std::vector<std::uint64_t> got;
  file.read(0, t.keys.size(), got);
  EXPECT_EQ(got, next_use(t.keys));
}

TEST_F(StreamingReplay, OracleGeneralNextAccessTimesNeedOnlyBeInOrder) {
  // libCacheSim's traces give next access as a logical time that need not be our request
  // index: MIN only compares them. Shift every time by a constant and mark "never" as
  // INT64_MAX, as some converters do: the same misses.
  const auto keys = zipf_keys(20'000, 800, 1.0, 5);
  const auto next = next_use(keys);
  std::string bytes;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint32_t time = static_cast<std::uint32_t>(i), size = 1;
    const std::int64_t n = next[i] == kNever ? INT64_MAX : static_cast<std::int64_t>(next[i] + 1'000'000);
    bytes.append(reinterpret_cast<const char*>(&time), 4);
    bytes.append(reinterpret_cast<const char*>(&keys[i]), 8);
    bytes.append(reinterpret_cast<const char*>(&size), 4);
    bytes.append(reinterpret_cast<const char*>(&n), 8);
  }
  std::ofstream(dir_ / "shifted.oracleGeneral", std::ios::binary) << bytes;
  auto reader = TraceReader::open(dir_ / "shifted.oracleGeneral", {});
  StreamOptions o;
  o.batch_requests = 1000;
  const auto r = simulate_stream({"belady"}, {10, 100}, *reader, o);
  EXPECT_EQ(r[0].misses, simulate("belady", keys, next, 10).misses);
  EXPECT_EQ(r[1].misses, simulate("belady", keys, next, 100).misses);
}

TEST_F(StreamingReplay, ABrokenTraceMidStreamStopsTheWorkersAndReachesTheCaller) {
  Trace t;
  t.keys = zipf_keys(50'000, 1000, 0.9, 1);
  write_trace(dir_ / "t.oracleGeneral.zst", t, TraceFormat::oracle_general);
  std::ifstream in(dir_ / "t.oracleGeneral.zst", std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  std::ofstream(dir_ / "cut.oracleGeneral.zst", std::ios::binary) << bytes.substr(0, bytes.size() * 2 / 3);
  auto reader = TraceReader::open(dir_ / "cut.oracleGeneral.zst", {});
  StreamOptions o;
  o.threads = 2;
  o.batch_requests = 1000;
  try {
    simulate_stream({"lru", "fifo", "belady"}, {10, 100}, *reader, o);
    ADD_FAILURE() << "no error";
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated zstd stream"), std::string::npos) << e.what();
  }
  // belady on a text trace without the extra pass is refused, not replayed with no future.
  write_trace(dir_ / "t.txt", t, TraceFormat::text);
  auto text = TraceReader::open(dir_ / "t.txt", {});
  EXPECT_THROW(simulate_stream({"belady"}, {10}, *text, {}), std::invalid_argument);
}

TEST_F(StreamingReplay, StopEndsTheReplayAfterTheBatchWithCountsSoFar) {
  Trace t;
  t.keys = zipf_keys(10'000, 100, 0.9, 1);
  write_trace(dir_ / "t.txt", t, TraceFormat::text);
  auto reader = TraceReader::open(dir_ / "t.txt", {});
  bool stop = false;
  StreamOptions o;
  o.batch_requests = 1000;
  o.stop = [&stop] { return stop; };
  o.progress = [&](std::uint64_t done) { stop = done >= 3000; };
  const auto r = simulate_stream({"lru"}, {10}, *reader, o);
  // The batch being read when stop turned true is not replayed: 3000 or 4000 requests.
  EXPECT_GE(r[0].requests, 3000u);
  EXPECT_LE(r[0].requests, 4000u);
  const std::vector<std::uint64_t> prefix(t.keys.begin(), t.keys.begin() + static_cast<long>(r[0].requests));
  EXPECT_EQ(r[0].misses, simulate("lru", prefix, {}, 10).misses);
}

// SHARDS by hand: the sampled keys' requests through an LRU of size × rate, misses over the
// expected sampled count.
double shards_lru(const std::vector<std::uint64_t>& keys, const SpatialSampler& sampler, std::size_t size) {
  Lru mini(sampler.scaled(size));
  std::uint64_t misses = 0;
  for (std::uint64_t k : keys)
    if (sampler.keeps(k)) misses += !mini.access(k);
  return static_cast<double>(misses) / (sampler.rate() * static_cast<double>(keys.size()));
}

TEST(Shards, OnePercentSamplingIsWithinOneHundredthOfTheExactLruCurveAtEverySize) {
  // The trace of `loadlab-cli trace --zipf 0.8 --keys 2000000 --requests 8000000 --seed 5`.
  // At 1% the miniature caches hold size / 100 objects: from 1,000 of them up the curve is
  // within 0.01, but a miniature of 100-500 is 0.015-0.024 off. Widened to hold 1,000 (the
  // CLI's --sample-min-objects), the small sizes run at 2-10% and every size is within 0.01.
  const auto keys = zipf_keys(8'000'000, 2'000'000, 0.8, 5);
  const SpatialSampler sampler(0.01);
  EXPECT_NEAR(sampler.rate(), 0.01, 1e-6);
  for (std::size_t size : {10'000u, 20'000u, 50'000u, 100'000u, 200'000u, 500'000u, 1'000'000u}) {
    const double exact = static_cast<double>(simulate("lru", keys, {}, size).misses) / static_cast<double>(keys.size());
    const SpatialSampler own = sampler.widened(size, 1000);
    EXPECT_GE(own.scaled(size), 1000u) << size;
    EXPECT_EQ(own.rate() == sampler.rate(), size >= 100'000) << size;
    const double sampled = shards_lru(keys, own, size);
    EXPECT_NEAR(sampled, exact, 0.01) << "at " << size << " (rate " << own.rate() << ")";
    std::printf("SHARDS 1%%, min 1000 objects: size %zu rate %.4f exact %.4f sampled %.4f error %+.4f\n", size,
                own.rate(), exact, sampled, sampled - exact);
  }
}

TEST(Shards, WidenedSamplesNestAndReachExactness) {
  const SpatialSampler base(0.01);
  EXPECT_EQ(base.widened(1'000'000, 1000).threshold(), base.threshold());  // big enough already
  EXPECT_EQ(base.widened(5'000, 0).threshold(), base.threshold());         // no minimum
  const SpatialSampler wide = base.widened(20'000, 1000);                  // 5%
  EXPECT_NEAR(wide.rate(), 0.05, 1e-6);
  EXPECT_TRUE(base.widened(800, 1000).exact());  // a size under the minimum: every key
  for (std::uint64_t k = 0; k < 200'000; ++k) {
    if (base.keeps(k)) {
      EXPECT_TRUE(wide.keeps(k)) << k;  // the wider sample holds the narrower
    }
  }
}

TEST_F(StreamingReplay, SampledReplayIsShardsOnEveryPolicyWithTheAdjustedRatio) {
  Trace t;
  t.keys = zipf_keys(100'000, 20'000, 0.8, 6);
  write_trace(dir_ / "t.oracleGeneral.zst", t, TraceFormat::oracle_general);
  auto reader = TraceReader::open(dir_ / "t.oracleGeneral.zst", {});
  StreamOptions o;
  o.threads = 2;
  o.batch_requests = 3000;
  o.sample_rate = 0.1;
  const std::vector<std::size_t> sizes{500, 5000};
  const auto r = simulate_stream({"lru", "arc", "belady"}, sizes, *reader, o);
  const SpatialSampler sampler(0.1);
  std::vector<std::uint64_t> sampled;
  for (auto k : t.keys)
    if (sampler.keeps(k)) sampled.push_back(k);
  const auto next = next_use(sampled);  // MIN needs only the order of the next accesses
  ASSERT_EQ(r.size(), 6u);
  for (const SimResult& x : r) {
    EXPECT_EQ(x.requests, t.keys.size());
    EXPECT_EQ(x.sampled_requests, sampled.size());
    EXPECT_EQ(x.sampled_cache_size, sampler.scaled(x.cache_size));
    EXPECT_EQ(x.sampled_misses, simulate(x.policy, sampled, next, sampler.scaled(x.cache_size)).misses) << x.policy;
    EXPECT_DOUBLE_EQ(x.miss_ratio(), std::min(1.0, static_cast<double>(x.sampled_misses) /
                                                       (sampler.rate() * static_cast<double>(t.keys.size()))));
  }
  EXPECT_NEAR(r[0].miss_ratio(), shards_lru(t.keys, sampler, 500), 1e-12);
  EXPECT_THROW(SpatialSampler(0), std::invalid_argument);
  EXPECT_THROW(SpatialSampler(1.5), std::invalid_argument);
}

TEST_F(StreamingReplay, SmallSizesRunAtTheirOwnRateInTheSamePass) {
  Trace t;
  t.keys = zipf_keys(60'000, 20'000, 0.8, 8);
  write_trace(dir_ / "t.txt", t, TraceFormat::text);
  auto reader = TraceReader::open(dir_ / "t.txt", {});
  StreamOptions o;
  o.threads = 2;
  o.batch_requests = 4000;
  o.sample_rate = 0.01;
  o.sample_min_objects = 50;
  // 20,000 at 1% holds 200: as asked. 2,000 needs 2.5%; 1,000 5%; 40 is under the minimum:
  // exact.
  const std::vector<std::size_t> sizes{40, 1000, 2000, 20'000};
  const auto r = simulate_stream({"lru", "s3fifo"}, sizes, *reader, o);
  ASSERT_EQ(r.size(), 8u);
  const SpatialSampler base(0.01);
  for (const SimResult& x : r) {
    if (x.cache_size == 40) {
      EXPECT_EQ(x.sample_rate, 1.0);
      EXPECT_EQ(x.misses, simulate(x.policy, t.keys, {}, 40).misses) << x.policy;
      continue;
    }
    const SpatialSampler own = base.widened(x.cache_size, 50);
    EXPECT_DOUBLE_EQ(x.sample_rate, own.rate()) << x.cache_size;
    std::vector<std::uint64_t> sampled;
    for (auto k : t.keys)
      if (own.keeps(k)) sampled.push_back(k);
    EXPECT_EQ(x.sampled_requests, sampled.size());
    EXPECT_EQ(x.sampled_cache_size, own.scaled(x.cache_size));
    EXPECT_GE(x.sampled_cache_size, 50u);
    EXPECT_EQ(x.sampled_misses, simulate(x.policy, sampled, {}, own.scaled(x.cache_size)).misses) << x.policy;
  }
  EXPECT_DOUBLE_EQ(r[3].sample_rate, base.rate());
}

TEST(KeyCounts, CountsEveryKeyAndStopsAtItsBound) {
  const auto keys = zipf_keys(100'000, 5000, 0.7, 2);
  KeyCounts all(1 << 20);
  all.add(keys);
  std::unordered_map<std::uint64_t, std::uint64_t> ref;
  for (auto k : keys) ++ref[k];
  EXPECT_EQ(all.distinct(), ref.size());
  EXPECT_FALSE(all.overflowed());
  auto got = all.counts();
  std::vector<std::uint64_t> want;
  for (auto& [k, c] : ref) want.push_back(c);
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  KeyCounts bounded(100);
  bounded.add(keys);
  EXPECT_TRUE(bounded.overflowed());
  EXPECT_EQ(bounded.distinct(), 100u);
}

}  // namespace
}  // namespace loadlab
