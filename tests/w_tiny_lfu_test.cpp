// The two W-TinyLFU variants: `wtinylfu` exact to Caffeine (its FrequencySketch checked
// against Caffeine's own Java class, its sizing and admission against a reference written
// here), and `wtinylfu-libcachesim` exact to libCacheSim's WTinyLFU (XXH64 and the counting
// Bloom filter's shape against libCacheSim's code, the policy against a reference here).
#include <gtest/gtest.h>

#include <cstdio>

#include "cache_reference.h"
#include "caches/cache_registry.h"
#include "caches/counting_bloom_filter.h"
#include "caches/frequency_sketch.h"
#include "caches/lru.h"
#include "caches/w_tiny_lfu.h"
#include "caches/w_tiny_lfu_libcachesim.h"
#include "caches/xxh64.h"
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

// The stream of the Java probe that produced the expected figures below: Caffeine's
// FrequencySketch.java (github.com/ben-manes/caffeine, caffeine/src/main/java/.../cache)
// compiled with OpenJDK 17 beside a class that feeds it this stream as Longs.
std::string caffeine_probe(std::uint64_t maximum, std::uint64_t n) {
  FrequencySketch s;
  s.ensure_capacity(maximum);
  std::uint64_t state = 7;
  for (std::uint64_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::uint64_t key = ((state >> 33) % 1000) * ((state >> 13) % 1000) / 1000;
    if ((i & 7) == 0) key *= 0x9E3779B97F4A7C15ULL;
    s.increment(key);
  }
  std::string out;
  for (std::uint64_t k = 0; k < 40; k += 3) out += std::to_string(s.frequency(k)) + ",";
  return out + " size=" + std::to_string(s.additions()) +
         " big=" + std::to_string(s.frequency(5 * 0x9E3779B97F4A7C15ULL));
}

TEST(CaffeineSketch, GivesCaffeinesOwnFrequenciesBeforeAndAfterAReset) {
  // Printed by Caffeine's FrequencySketch for the same stream (sample size 2560 at 256).
  EXPECT_EQ(caffeine_probe(256, 100), "0,0,1,0,0,1,0,0,0,0,1,0,0,0, size=100 big=0");
  EXPECT_EQ(caffeine_probe(256, 2559), "15,9,8,11,11,9,11,6,11,5,12,9,8,8, size=2558 big=3");
  EXPECT_EQ(caffeine_probe(256, 2560), "15,9,8,11,11,9,11,6,11,5,12,9,8,8, size=2559 big=3");
  EXPECT_EQ(caffeine_probe(256, 7000), "8,6,7,5,4,5,2,6,3,5,3,4,3,2, size=1146 big=1");
  EXPECT_EQ(caffeine_probe(1000, 123457), "15,15,15,15,15,15,15,15,15,15,15,15,15,15, size=9187 big=9");
}

TEST(CaffeineSketch, SizedToTheCapacityAndHalvedAfterTenTimesIt) {
  FrequencySketch s;
  EXPECT_FALSE(s.initialized());
  s.increment(1);
  EXPECT_EQ(s.frequency(1), 0u);  // nothing counts before ensure_capacity
  s.ensure_capacity(100);
  EXPECT_EQ(s.table_slots(), 256u);  // at least 256 slots of 16 counters
  EXPECT_EQ(s.sample_size(), 2560u);
  s.ensure_capacity(1000);
  EXPECT_EQ(s.table_slots(), 1024u);
  EXPECT_EQ(s.sample_size(), 10000u);
  for (int i = 0; i < 20; ++i) s.increment(42);
  EXPECT_EQ(s.frequency(42), 15u);  // 4-bit counters saturate
  // Distinct keys until the sample is reached: then every counter is halved once.
  std::uint64_t k = 1000;
  while (s.resets() == 0) s.increment(k++);
  EXPECT_EQ(s.frequency(42), 7u);
  EXPECT_LT(s.additions(), 5000u);  // the count restarts from half, less the odd counters' error
}

TEST(WTinyLfu, SizesTheWindowAndProtectedAsCaffeine) {
  // window = max - (long) (0.99 max), protected = (long) (0.8 (max - window)).
  for (auto [c, window, prot] : {std::tuple{1u, 1u, 0u}, std::tuple{2u, 1u, 0u}, std::tuple{100u, 1u, 79u},
                                 std::tuple{1000u, 10u, 792u}, std::tuple{12345u, 124u, 9776u}}) {
    WTinyLfu w(c);
    EXPECT_EQ(w.window_capacity(), window) << c;
    EXPECT_EQ(w.protected_capacity(), prot) << c;
  }
}

TEST(WTinyLfu, FrequencyAdmissionKeepsPopularObjectsThatLruLoses) {
  // 50 popular keys, each asked once per 250 requests, among a stream of one-hit wonders:
  // the reuse distance (250) exceeds the capacity (100), so LRU keeps none of them, while
  // TinyLFU refuses to let a once-seen key displace a popular one.
  WTinyLfu c(100);
  std::uint64_t next_scan = 1000;
  std::uint64_t hits = 0, popular = 0;
  for (int round = 0; round < 200; ++round)
    for (std::uint64_t k = 0; k < 50; ++k) {
      hits += c.access(k);
      ++popular;
      for (int s = 0; s < 4; ++s) c.access(next_scan++);
    }
  EXPECT_GT(static_cast<double>(hits) / static_cast<double>(popular), 0.9);
  EXPECT_LE(c.size(), 100u);
}

TEST(WTinyLfu, WarmCandidatesAreSometimesAdmittedAndTheSeedRepeatsARun) {
  // A loop a little longer than the capacity: every key is warm and as frequent as the
  // victims, so candidates lose their duels on frequency alone and get in only through the
  // random door.
  std::vector<std::uint64_t> trace;
  for (int round = 0; round < 300; ++round)
    for (std::uint64_t k = 0; k < 330; ++k) trace.push_back(k);
  auto run = [&](std::uint64_t seed) {
    WTinyLfu c(300, seed);
    test::RefWTinyLfu ref(300, seed);
    std::uint64_t misses = 0, ref_misses = 0;
    for (auto k : trace) misses += !c.access(k), ref_misses += !ref.access(k);
    EXPECT_EQ(misses, ref_misses) << seed;
    return std::pair{misses, c.random_admissions()};
  };
  const auto a = run(1), b = run(1), other = run(2);
  EXPECT_EQ(a, b);
  EXPECT_GT(a.second, 0u);  // the 1-in-128 path is taken on this trace
  EXPECT_NE(a.first, other.first);
}

TEST(WTinyLfuVariants, SameMissesAsTheirReferencesAcrossSizes) {
  const auto trace = zipf_keys(300'000, 30'000, 0.9, 17);
  for (std::size_t size : {1u, 3u, 99u, 100u, 101u, 199u, 250u, 1000u, 4321u, 20'000u}) {
    WTinyLfu caffeine(size);
    WTinyLfuLibCacheSim lcs(size);
    test::RefWTinyLfu caffeine_ref(size);
    test::RefWTinyLfuLibCacheSim lcs_ref(size);
    std::uint64_t m[4] = {0, 0, 0, 0};
    for (auto k : trace) {
      m[0] += !caffeine.access(k);
      m[1] += !caffeine_ref.access(k);
      m[2] += !lcs.access(k);
      m[3] += !lcs_ref.access(k);
    }
    EXPECT_EQ(m[0], m[1]) << "wtinylfu at " << size;
    EXPECT_EQ(m[2], m[3]) << "wtinylfu-libcachesim at " << size;
    EXPECT_LE(caffeine.size(), size);
    EXPECT_LE(lcs.size(), size);
    if (size < 100) {
      EXPECT_EQ(m[2], trace.size()) << "libCacheSim admits nothing below 100 objects";
    }
  }
}

// A trace whose best window is far from 1%: a working set of 2,000 keys that drifts (each
// request picks one of the 2,000 keys above a base that rises by one every 4 requests), so
// every key is hot for a while and then never seen again. Recency is everything: LRU-like
// behaviour wins, and a 1% window sends every newcomer into a duel it loses against the
// frequencies of keys that are already leaving.
std::vector<std::uint64_t> drifting_keys(std::size_t requests, std::uint64_t span, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < requests; ++i) out.push_back(i / 4 + rng.next() % span);
  return out;
}

TEST(WTinyLfuHillClimbing, SameMissesAndWindowAsTheReferenceAcrossSizes) {
  // Sizes around the small-cache rule (512), with 1,000-entry moves at 20,000 (a step of
  // 1,250) and a phase change half way, so the climber restarts.
  auto trace = zipf_keys(150'000, 30'000, 0.9, 23);
  const auto drift = drifting_keys(150'000, 2'000, 5);
  trace.insert(trace.end(), drift.begin(), drift.end());
  for (std::size_t size : {1u, 3u, 40u, 99u, 300u, 512u, 513u, 1000u, 4321u, 20'000u}) {
    WTinyLfu climbing(size, WTinyLfu::kDefaultSeed, true);
    test::RefWTinyLfu ref(size, WTinyLfu::kDefaultSeed, true);
    std::uint64_t misses = 0, ref_misses = 0;
    std::size_t i = 0;
    for (auto k : trace) {
      misses += !climbing.access(k);
      ref_misses += !ref.access(k);
      if (++i % 10'000 == 0) {
        ASSERT_EQ(climbing.window_capacity(), ref.window_cap) << size << " after " << i;
        ASSERT_EQ(climbing.protected_capacity(), ref.protected_cap) << size << " after " << i;
      }
    }
    EXPECT_EQ(misses, ref_misses) << "at " << size;
    EXPECT_LE(climbing.size(), size);
    EXPECT_TRUE(climbing.hill_climbing());
    if (size >= 300) {
      EXPECT_GT(climbing.climber_samples(), 0u) << size;
    }
  }
}

TEST(WTinyLfuHillClimbing, GrowsTheWindowAndCutsMissesWhereRecencyWins) {
  const auto trace = drifting_keys(400'000, 2'000, 11);
  for (std::size_t size : {1000u, 3000u}) {
    WTinyLfu fixed(size), climbing(size, WTinyLfu::kDefaultSeed, true);
    Lru lru(size);
    std::uint64_t m_fixed = 0, m_climbing = 0, m_lru = 0;
    for (auto k : trace) {
      m_fixed += !fixed.access(k);
      m_climbing += !climbing.access(k);
      m_lru += !lru.access(k);
    }
    EXPECT_EQ(fixed.window_capacity(), size / 100);           // never moves without the option
    EXPECT_GT(climbing.window_capacity(), size / 4) << size;  // the climber found recency
    EXPECT_LT(static_cast<double>(m_climbing), 0.9 * static_cast<double>(m_fixed)) << size;
    std::printf("drift, size %zu: misses fixed %llu, climbing %llu (window %zu), lru %llu\n", size,
                static_cast<unsigned long long>(m_fixed), static_cast<unsigned long long>(m_climbing),
                climbing.window_capacity(), static_cast<unsigned long long>(m_lru));
  }
}

TEST(WTinyLfuHillClimbing, TheRegistryNameTakesTheOption) {
  // Through the registry as the scenario and the CLI build it.
  auto fixed = caches().make("wtinylfu", CacheOptions{1000});
  auto climbing = caches().make("wtinylfu", CacheOptions{1000, CacheParams{.hill_climb = true}});
  const auto trace = drifting_keys(100'000, 2'000, 3);
  std::uint64_t a = 0, b = 0;
  for (auto k : trace) a += !fixed->access(k), b += !climbing->access(k);
  EXPECT_NE(a, b);
  bool documented = false;
  for (const auto& e : caches().entries())
    if (e.name == "wtinylfu") documented = e.summary.find("--hill-climb") != std::string::npos;
  EXPECT_TRUE(documented);
}

TEST(WTinyLfuLibCacheSim, SameMissesAsLibCacheSimItself) {
  // libCacheSim (github.com/1a1a11a/libCacheSim, built from source) replaying this trace,
  // written by `loadlab-cli trace --zipf 0.8 --keys 20000 --requests 500000 --seed 42`, with
  // WTinyLFU_init(defaults) through cache->get(): these miss counts.
  const auto trace = zipf_keys(500'000, 20'000, 0.8, 42);
  for (auto [size, libcachesim] : {std::pair{99u, 500'000u}, std::pair{101u, 385'321u}, std::pair{199u, 357'651u},
                                   std::pair{333u, 329'231u}, std::pair{5000u, 156'568u}}) {
    WTinyLfuLibCacheSim c(size);
    std::uint64_t misses = 0;
    for (auto k : trace) misses += !c.access(k);
    EXPECT_EQ(misses, libcachesim) << "at " << size;
  }
}

TEST(WTinyLfuLibCacheSim, SizesAndSketchShapeAsLibCacheSim) {
  WTinyLfuLibCacheSim c(1000);
  EXPECT_EQ(c.window_capacity(), 10u);
  EXPECT_EQ(c.main_capacity(), 990u);
  CountingBloomFilter cbf(990);
  EXPECT_EQ(cbf.hashes(), 10);
  EXPECT_EQ(cbf.counters(), 14234u);                  // ceil(-ln(0.001) / ln(2)^2 × 990)
  EXPECT_EQ(CountingBloomFilter(0).counters(), 20u);  // too few: twice the hashes
  // XXH64 of the 8-byte id under libCacheSim's two seeds, as libCacheSim's xxhash.h gives.
  EXPECT_EQ(xxh64_of_u64(0, 0x12345678), 0x67bb774d39f5d473ULL);
  EXPECT_EQ(xxh64_of_u64(42, 0x12344321), 0xca6b830118405888ULL);
  EXPECT_EQ(xxh64_of_u64(~0ULL, 0x12345678), 0x60b38a7d6d1e7ea9ULL);
  // Window hits are not counted; misses and main hits are.
  WTinyLfuLibCacheSim small(100);
  small.access(7);
  small.access(7);  // a window hit
  EXPECT_EQ(small.estimate(7), 1u);
}

TEST(WTinyLfuLibCacheSim, OneMissCanMoveSeveralWindowVictimsAndLeaveRoom) {
  // Fill 200 (window 2, main 198) with one-hit keys: all of them first sit in the window
  // (libCacheSim bounds the window only through the whole cache), and the first miss on a
  // full cache moves window victims into main until main is full and one is refused.
  WTinyLfuLibCacheSim c(200);
  for (std::uint64_t k = 0; k < 200; ++k) c.access(k);
  EXPECT_EQ(c.size(), 200u);
  c.access(1000);
  EXPECT_LT(c.size(), 200u + 1);
  EXPECT_TRUE(c.contains(1000));
}

}  // namespace
}  // namespace loadlab
