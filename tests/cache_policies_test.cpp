// Every eviction policy: exact behaviour on small hand-made sequences, the same misses as a
// straightforward reference implementation on a seeded Zipf trace, and Belady as a bound.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unordered_map>

#include "cache_reference.h"
#include "caches/arc.h"
#include "caches/belady.h"
#include "caches/cache_registry.h"
#include "caches/clock.h"
#include "caches/fifo.h"
#include "caches/lfu.h"
#include "caches/lru.h"
#include "caches/s3fifo.h"
#include "caches/sieve.h"
#include "caches/w_tiny_lfu.h"
#include "cachesim/cache_sim.h"
#include "cachesim/trace.h"
#include "cachesim/zstd_output.h"
#include "theory/theory.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

std::vector<std::uint64_t> zipf_trace(std::size_t requests, std::uint64_t keys, double s, std::uint64_t seed) {
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

// hits as a string: 'h' for a hit, '.' for a miss
template <class C>
std::string run(C& cache, std::initializer_list<std::uint64_t> keys) {
  std::string out;
  for (std::uint64_t k : keys) out += cache.access(k) ? 'h' : '.';
  return out;
}

template <class C>
std::vector<bool> holds(const C& cache, std::initializer_list<std::uint64_t> keys) {
  std::vector<bool> out;
  for (std::uint64_t k : keys) out.push_back(cache.contains(k));
  return out;
}
using V = std::vector<bool>;

TEST(Fifo, EvictsInArrivalOrderAndIgnoresHits) {
  Fifo c(3);
  EXPECT_EQ(run(c, {1, 2, 3, 1, 4}), "...h.");
  EXPECT_EQ(holds(c, {1, 2, 3, 4}), (V{false, true, true, true}));
  EXPECT_EQ(run(c, {1}), ".");  // 2 leaves next
  EXPECT_EQ(holds(c, {2, 3, 4, 1}), (V{false, true, true, true}));
}

TEST(Clock, AHitBuysOneSecondChance) {
  Clock c(3);
  EXPECT_EQ(run(c, {1, 2, 3, 1, 4}), "...h.");  // 1 is spared (bit cleared, re-inserted), 2 goes
  EXPECT_EQ(holds(c, {1, 2, 3, 4}), (V{true, false, true, true}));
  EXPECT_EQ(run(c, {5}), ".");  // queue 4 1 3: 3 is oldest without a bit
  EXPECT_EQ(holds(c, {1, 3, 4, 5}), (V{true, false, true, true}));
}

TEST(Sieve, HandSkipsVisitedObjectsWithoutMovingThem) {
  Sieve c(3);
  EXPECT_EQ(run(c, {1, 2, 3, 1, 4}), "...h.");  // hand: 1 visited (cleared), evicts 2, stops at 3
  EXPECT_EQ(holds(c, {1, 2, 3, 4}), (V{true, false, true, true}));
  EXPECT_EQ(run(c, {5, 1, 6}), ".h.");  // evicts 3 (hand), then 4: 1 stays at the tail
  EXPECT_EQ(holds(c, {1, 3, 4, 5, 6}), (V{true, false, false, true, true}));
}

TEST(Lfu, LeastCountGoesAndTiesByWhoReachedTheCountFirst) {
  Lfu c(3);
  EXPECT_EQ(run(c, {1, 1, 2, 3, 4}), ".h...");  // counts 1:2 2:1 3:1; 2 reached 1 first
  EXPECT_EQ(holds(c, {1, 2, 3, 4}), (V{true, false, true, true}));
  EXPECT_EQ(run(c, {5}), ".");  // 3 before 4
  EXPECT_EQ(holds(c, {1, 3, 4, 5}), (V{true, false, true, true}));
  EXPECT_EQ(run(c, {4, 6}), "h.");  // 4 now has 2; 5 is alone at 1
  EXPECT_EQ(holds(c, {1, 4, 5, 6}), (V{true, true, false, true}));
  EXPECT_EQ(c.count(1), 2u);
  EXPECT_EQ(c.count(4), 2u);
  EXPECT_EQ(run(c, {7, 5}), "..");  // the count of an evicted key is forgotten: 5 starts at 1
  EXPECT_EQ(c.count(5), 1u);
}

TEST(Arc, GhostHitGrowsTheRecencyTarget) {
  Arc c(2);
  EXPECT_EQ(run(c, {1, 2, 1, 3}), "..h.");  // 3 pushes 2 (T1's LRU) to ghost B1
  EXPECT_EQ(holds(c, {1, 2, 3}), (V{true, false, true}));
  EXPECT_EQ(c.b1_size(), 1u);
  EXPECT_EQ(run(c, {2}), ".");  // a B1 hit: p grows by 1 and T2's LRU (1) goes to B2
  EXPECT_DOUBLE_EQ(c.target_t1(), 1.0);
  EXPECT_EQ(holds(c, {1, 2, 3}), (V{false, true, true}));
}

TEST(S3Fifo, OneHitWondersLeaveThroughTheGhostAndComeBackToMain) {
  S3Fifo c(3);  // small 1, main 2, ghost 2
  EXPECT_EQ(c.small_capacity(), 1u);
  EXPECT_EQ(run(c, {1, 2, 3, 4, 5}), ".....");  // 1 and 2 pass through small to the ghost
  EXPECT_TRUE(c.in_ghost(1));
  EXPECT_TRUE(c.in_ghost(2));
  EXPECT_EQ(run(c, {3, 3, 6}), "hh.");  // 3 (freq 2) moves to main; 4 goes to the ghost, 1 drops out
  EXPECT_EQ(holds(c, {3, 5, 6}), (V{true, true, true}));
  EXPECT_TRUE(c.in_ghost(4));
  EXPECT_FALSE(c.in_ghost(1));
  EXPECT_EQ(run(c, {2}), ".");  // a ghost hit: 2 enters main directly, 5 leaves small
  EXPECT_EQ(holds(c, {2, 3, 5, 6}), (V{true, true, false, true}));
  EXPECT_TRUE(c.in_ghost(5));
}

struct PolicyCase {
  const char* name;
  std::function<std::uint64_t(const std::vector<std::uint64_t>&, std::size_t)> reference;
};

template <class R>
std::uint64_t reference_misses(R&& cache, const std::vector<std::uint64_t>& trace) {
  std::uint64_t misses = 0;
  for (std::uint64_t k : trace) misses += !cache.access(k);
  return misses;
}

class AgainstReference : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(AgainstReference, SameMissesToTheRequestOnAZipfTrace) {
  const auto trace = zipf_trace(200'000, 20'000, 0.9, 11);
  for (std::size_t size : {1u, 2u, 10u, 97u, 1000u, 5000u}) {
    auto cache = caches().make(GetParam().name, CacheOptions{size});
    std::uint64_t misses = 0;
    for (std::uint64_t k : trace) misses += !cache->access(k);
    EXPECT_EQ(misses, GetParam().reference(trace, size)) << GetParam().name << " at size " << size;
    EXPECT_LE(cache->size(), size);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Policies, AgainstReference,
    ::testing::Values(
        PolicyCase{"fifo",
                   [](const auto& t, std::size_t c) {
                     return reference_misses(test::RefFifo{c, {}}, t);
                   }},
        PolicyCase{"clock",
                   [](const auto& t, std::size_t c) {
                     return reference_misses(test::RefClock{c, {}, {}}, t);
                   }},
        PolicyCase{"sieve", [](const auto& t, std::size_t c) { return reference_misses(test::RefSieve(c), t); }},
        PolicyCase{"lfu",
                   [](const auto& t, std::size_t c) {
                     return reference_misses(test::RefLfu{c, {}, {}, 0}, t);
                   }},
        PolicyCase{"arc",
                   [](const auto& t, std::size_t c) {
                     return reference_misses(test::RefArc{c, {}, {}, {}, {}, 0}, t);
                   }},
        PolicyCase{"s3fifo", [](const auto& t, std::size_t c) { return reference_misses(test::RefS3Fifo(c), t); }},
        PolicyCase{"wtinylfu", [](const auto& t, std::size_t c) { return reference_misses(test::RefWTinyLfu(c), t); }},
        PolicyCase{"wtinylfu-libcachesim",
                   [](const auto& t, std::size_t c) { return reference_misses(test::RefWTinyLfuLibCacheSim(c), t); }}),
    [](const auto& info) {
      std::string name = info.param.name;
      std::replace(name.begin(), name.end(), '-', '_');  // test names are identifiers
      return name;
    });

TEST(Belady, MatchesBruteForceAndBoundsEveryPolicy) {
  const auto small = zipf_trace(3000, 300, 0.8, 5);
  for (std::size_t size : {1u, 5u, 40u}) {
    test::RefBelady ref{size, small};
    EXPECT_EQ(belady_misses(small, next_use(small), size), ref.misses()) << size;
  }
  const auto trace = zipf_trace(100'000, 10'000, 1.0, 3);
  const auto next = next_use(trace);
  for (std::size_t size : {10u, 100u, 1000u}) {
    const std::uint64_t optimum = belady_misses(trace, next, size);
    for (const auto& e : caches().entries()) {
      if (e.name == "none") continue;
      EXPECT_LE(optimum, simulate(e.name, trace, next, size).misses) << e.name << " at size " << size;
    }
  }
}

TEST(CacheModels, CheApproximationPredictsLruAndFifoOnAnIrmTrace) {
  // Zipf requests are independent draws: the model's assumption holds, so the prediction
  // (with compulsory misses counted) must land within 1% of the measured miss ratio.
  const auto trace = zipf_trace(1'000'000, 50'000, 0.9, 8);
  std::unordered_map<std::uint64_t, std::uint64_t> count_of;
  for (std::uint64_t k : trace) ++count_of[k];
  std::vector<std::uint64_t> counts;
  for (const auto& [k, c] : count_of) counts.push_back(c);
  for (std::size_t size : {500u, 5000u}) {
    const double n = static_cast<double>(trace.size());
    const double lru = static_cast<double>(simulate("lru", trace, {}, size).misses) / n;
    const double fifo = static_cast<double>(simulate("fifo", trace, {}, size).misses) / n;
    EXPECT_NEAR(che_lru_trace_misses(counts, static_cast<double>(size)) / n, lru, 0.01 * lru) << size;
    EXPECT_NEAR(fifo_trace_misses(counts, static_cast<double>(size)) / n, fifo, 0.01 * fifo) << size;
  }
  // Steady state, no compulsory misses: a cache as large as the key space always hits.
  const std::vector<double> p{0.5, 0.25, 0.25};
  EXPECT_DOUBLE_EQ(che_lru_hit_ratio(p, 3), 1.0);
  EXPECT_GT(che_lru_hit_ratio(p, 1), fifo_hit_ratio(p, 1) - 1e-12);  // LRU ≥ FIFO under IRM
}

TEST(AllPolicies, ShrinkKeepsWithinCapacityAndOnlyCachedKeys) {
  for (const auto& e : caches().entries()) {
    if (e.name == "none") continue;
    // libCacheSim's WTinyLFU admits nothing below 100 objects: shrink it from 1050 to 150.
    const bool lcs = e.name == "wtinylfu-libcachesim";
    const std::size_t small = lcs ? 150 : 10;
    const std::uint64_t keys = lcs ? 5000 : 500;
    auto cache = caches().make(e.name, CacheOptions{small * (lcs ? 7 : 10)});
    for (std::uint64_t k : zipf_trace(5000 * (lcs ? 10 : 1), keys, 1.0, 2)) cache->access(k);
    std::vector<std::uint64_t> before;
    for (std::uint64_t k = 0; k < keys; ++k)
      if (cache->contains(k)) before.push_back(k);
    cache->set_capacity(small);
    EXPECT_LE(cache->size(), small) << e.name;
    EXPECT_GT(cache->size(), 0u) << e.name;
    for (std::uint64_t k = 0; k < keys; ++k)
      if (cache->contains(k)) {
        EXPECT_TRUE(std::count(before.begin(), before.end(), k)) << e.name << " " << k;
      }
    cache->set_capacity(0);
    EXPECT_EQ(cache->size(), 0u) << e.name;
    EXPECT_FALSE(cache->access(1)) << e.name;
    EXPECT_FALSE(cache->access(1)) << e.name;  // capacity 0 never hits
  }
}

class TraceFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("loadlab_trace_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  std::filesystem::path dir_;
};

TEST_F(TraceFiles, RoundTripThroughEveryFormat) {
  Trace t;
  t.keys = zipf_trace(1000, 100, 1.0, 4);
  for (auto [ext, format] :
       {std::pair{".csv", TraceFormat::csv}, std::pair{".oracleGeneral", TraceFormat::oracle_general},
        std::pair{".txt", TraceFormat::text}}) {
    const auto path = dir_ / (std::string("t") + ext);
    write_trace(path, t, format);
    EXPECT_EQ(read_trace(path).keys, t.keys) << ext;
  }
}

TEST_F(TraceFiles, CsvColumnsByNameAndStringKeys) {
  const auto path = file("k.csv", "time,obj_id,size\n1,alpha,10\n2,beta,20\n3,alpha,10\n");
  const Trace t = read_trace(path);
  ASSERT_EQ(t.keys.size(), 3u);
  EXPECT_EQ(t.keys[0], t.keys[2]);
  EXPECT_NE(t.keys[0], t.keys[1]);
  EXPECT_EQ(t.sizes, (std::vector<std::uint32_t>{10, 20, 10}));
  TraceReadOptions by_time;
  by_time.key_column = "time";
  EXPECT_EQ(read_trace(path, by_time).keys, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST_F(TraceFiles, BrokenTracesNameTheLineOrRecord) {
  auto error_of = [](const std::filesystem::path& p, TraceReadOptions o = {}) -> std::string {
    try {
      read_trace(p, o);
    } catch (const TraceError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of(file("bad.csv", "key,size\n1,2\n3\n")).find("bad.csv:3: expected 2 columns"), std::string::npos);
  EXPECT_NE(error_of(file("bad2.csv", "key,size\n1,x\n")).find("bad2.csv:2: size 'x'"), std::string::npos);
  EXPECT_NE(error_of(file("cut.oracleGeneral", std::string(24 * 2 + 7, '\0'))).find("record 3 is cut short"),
            std::string::npos);
  EXPECT_NE(error_of(file("two.txt", "1\n2 3\n")).find("two.txt:2: expected one key per line"), std::string::npos);
  TraceReadOptions missing;
  missing.key_column = "nope";
  EXPECT_NE(error_of(file("c.csv", "key\n1\n"), missing).find("no column named 'nope'"), std::string::npos);
  EXPECT_NE(error_of(dir_ / "absent.txt").find("absent.txt' does not exist"), std::string::npos);
}

TEST_F(TraceFiles, ZstdCompressedTracesReadAsThePlainOnes) {
  Trace t;
  t.keys = zipf_trace(300'000, 5000, 0.9, 7);  // 7.2 MB as oracleGeneral: many zstd blocks
  for (auto [name, format] : {std::pair{"t.oracleGeneral", TraceFormat::oracle_general},
                              std::pair{"t.csv", TraceFormat::csv}, std::pair{"t.txt", TraceFormat::text}}) {
    const auto plain = dir_ / name, packed = dir_ / (std::string(name) + ".zst");
    write_trace(plain, t, format);
    write_trace(packed, t, format);
    EXPECT_LT(std::filesystem::file_size(packed), std::filesystem::file_size(plain) / 2) << name;
    EXPECT_EQ(trace_format_of(packed), format) << name;
    const Trace a = read_trace(plain), b = read_trace(packed);
    EXPECT_EQ(b.keys, t.keys) << name;
    EXPECT_EQ(b.sizes, a.sizes) << name;
  }
}

TEST_F(TraceFiles, BrokenZstdTracesSayWhereTheyBreak) {
  auto error_of = [](const std::filesystem::path& p) -> std::string {
    try {
      read_trace(p);
    } catch (const TraceError& e) {
      return e.what();
    }
    return "no error";
  };
  Trace t;
  t.keys = zipf_trace(100'000, 5000, 0.9, 7);
  write_trace(dir_ / "t.oracleGeneral.zst", t, TraceFormat::oracle_general);
  std::ifstream in(dir_ / "t.oracleGeneral.zst", std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  const std::string cut = error_of(file("cut.oracleGeneral.zst", bytes.substr(0, bytes.size() / 2)));
  EXPECT_NE(cut.find(fmt::format("truncated zstd stream: the data ends inside a frame at byte {}", bytes.size() / 2)),
            std::string::npos)
      << cut;
  EXPECT_NE(error_of(file("plain.oracleGeneral.zst", std::string(48, '\1'))).find("not a valid zstd stream at byte 0"),
            std::string::npos);
  EXPECT_NE(error_of(file("empty.txt.zst", "")).find("empty file (not a zstd stream)"), std::string::npos);
  // A whole zstd frame holding 2.5 records: the oracleGeneral reader names the cut record.
  Trace two;
  two.keys = {1, 2, 3};
  write_trace(dir_ / "three.oracleGeneral", two, TraceFormat::oracle_general);
  std::ifstream three(dir_ / "three.oracleGeneral", std::ios::binary);
  const std::string records(std::istreambuf_iterator<char>(three), {});
  {
    std::ofstream out(dir_ / "half.oracleGeneral.zst", std::ios::binary);
    ZstdOutput z(out);
    z.write(std::string_view(records).substr(0, 60));
    z.finish();
  }
  EXPECT_NE(error_of(dir_ / "half.oracleGeneral.zst").find("record 3 is cut short, at byte 48"), std::string::npos);
}

}  // namespace
}  // namespace loadlab
