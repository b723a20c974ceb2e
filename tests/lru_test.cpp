#include <gtest/gtest.h>

#include <list>
#include <unordered_map>

#include "caches/cache_registry.h"
#include "caches/key_index.h"
#include "caches/lru.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

TEST(Lru, EvictsLeastRecentlyUsed) {
  Lru lru(3);
  EXPECT_FALSE(lru.access(1));
  EXPECT_FALSE(lru.access(2));
  EXPECT_FALSE(lru.access(3));
  EXPECT_TRUE(lru.access(1));   // order now 1 3 2
  EXPECT_FALSE(lru.access(4));  // evicts 2
  EXPECT_FALSE(lru.contains(2));
  EXPECT_EQ(lru.keys_by_recency(), (std::vector<std::uint64_t>{4, 1, 3}));
  EXPECT_FALSE(lru.access(2));  // evicts 3
  EXPECT_EQ(lru.keys_by_recency(), (std::vector<std::uint64_t>{2, 4, 1}));
  EXPECT_EQ(lru.size(), 3u);
}

TEST(Lru, ZeroCapacityNeverHits) {
  Lru lru(0);
  EXPECT_FALSE(lru.access(1));
  EXPECT_FALSE(lru.access(1));
  EXPECT_EQ(lru.size(), 0u);
}

TEST(Lru, ShrinkKeepsMostRecentGrowKeepsAll) {
  Lru lru(4);
  for (std::uint64_t k : {1, 2, 3, 4}) lru.access(k);
  lru.set_capacity(2);
  EXPECT_EQ(lru.keys_by_recency(), (std::vector<std::uint64_t>{4, 3}));
  lru.set_capacity(5);
  EXPECT_EQ(lru.keys_by_recency(), (std::vector<std::uint64_t>{4, 3}));
  EXPECT_FALSE(lru.access(9));
  EXPECT_TRUE(lru.access(3));
  EXPECT_EQ(lru.keys_by_recency(), (std::vector<std::uint64_t>{3, 9, 4}));
}

TEST(Lru, ClearEmpties) {
  Lru lru(2);
  lru.access(1);
  lru.clear();
  EXPECT_EQ(lru.size(), 0u);
  EXPECT_FALSE(lru.access(1));
}

// A straightforward reference LRU: std::list + std::unordered_map.
class ReferenceLru {
 public:
  explicit ReferenceLru(std::size_t capacity) : capacity_(capacity) {}
  bool access(std::uint64_t key) {
    if (auto it = where_.find(key); it != where_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return true;
    }
    if (capacity_ == 0) return false;
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

TEST(Lru, MatchesReferenceOnZipfTraceToTheRequest) {
  KeyPopularity p;
  p.kind = KeyPopularity::Kind::zipf;
  p.keys = 20'000;
  p.zipf_s = 0.9;
  const KeyDistribution keys(p);
  Rng rng(3);
  for (std::size_t capacity : {1u, 10u, 500u, 5000u}) {
    Lru lru(capacity);
    ReferenceLru ref(capacity);
    std::uint64_t hits = 0;
    for (int i = 0; i < 200'000; ++i) {
      const std::uint64_t key = keys.next(rng);
      const bool hit = lru.access(key);
      ASSERT_EQ(hit, ref.access(key)) << "request " << i << " capacity " << capacity;
      hits += hit;
    }
    EXPECT_GT(hits, 0u);
  }
}

TEST(KeyIndex, BehavesLikeAMapUnderRandomInsertAndErase) {
  KeyIndex index;
  index.reserve(1000);
  std::unordered_map<std::uint64_t, std::uint32_t> ref;
  Rng rng(11);
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t key = rng.below(2000) * 1024;  // clustered keys stress probing
    if (ref.count(key)) {
      ASSERT_EQ(index.find(key), ref[key]);
      index.erase(key);
      ref.erase(key);
    } else if (ref.size() < 1000) {
      const auto value = static_cast<std::uint32_t>(i);
      index.insert(key, value);
      ref[key] = value;
    }
    ASSERT_EQ(index.size(), ref.size());
  }
  for (const auto& [key, value] : ref) EXPECT_EQ(index.find(key), value);
  EXPECT_EQ(index.find(7), KeyIndex::kAbsent);
}

TEST(CacheRegistry, MakesEveryPolicyAndRejectsUnknown) {
  for (const auto& e : caches().entries()) EXPECT_NE(caches().make(e.name, CacheOptions{10}), nullptr) << e.name;
  EXPECT_THROW(caches().make("mru-ish", CacheOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace loadlab
