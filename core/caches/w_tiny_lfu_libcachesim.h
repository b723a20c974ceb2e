#pragma once
#include <vector>

#include "caches/counting_bloom_filter.h"
#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `wtinylfu-libcachesim`: libCacheSim's WTinyLFU (cache/eviction/WTinyLFU.c, defaults
// "main-cache=SLRU,window-size=0.01"), reproduced to the miss for objects of size 1 — not
// Caffeine's design (that is `wtinylfu`). What differs, all as libCacheSim does it:
//
// - Sizes: window = (int64) (0.01 × C), main = C − window, an SLRU of two segments sized
//   "1:4": probation (int64) (0.2 × main), protected (int64) (0.8 × main). Below C = 100 the
//   window is empty and libCacheSim admits nothing (every request misses).
// - Sketch: CountingBloomFilter for `main` entries; counted are misses (on insertion),
//   main-cache hits, and each window victim as it is considered. Window hits are not
//   counted. Every 32 × main main-cache hits all counters are halved.
// - A miss, when the cache is full, moves window victims (LRU first) into main while main
//   has room, or while the victim's estimate beats main's victim (probation's LRU, else
//   protected's), evicting that victim; the first victim that does not beat it is dropped
//   and ends the eviction. So one miss can move several objects and leave the cache below
//   its capacity.
// - Main's SLRU: an object enters the first segment with room (protected when probation is
//   full); a hit in probation promotes to protected, whose overflow is demoted to
//   probation's head, and probation's overflow is evicted outright.
class WTinyLfuLibCacheSim final : public SlotCache {
 public:
  explicit WTinyLfuLibCacheSim(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return window_.size + main_size(); }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::size_t window_capacity() const { return window_capacity_; }
  std::size_t main_capacity() const { return main_capacity_; }
  std::uint32_t estimate(std::uint64_t key) const { return sketch_.estimate(key); }

 private:
  enum Where : std::uint8_t { window, probation, protected_segment };
  void reset(std::size_t capacity) override;
  std::size_t main_size() const { return segment_[0].size + segment_[1].size; }
  void evict();
  void main_insert(std::uint64_t key);
  std::uint32_t main_victim() const;  // SLRU_to_evict
  void main_evict();                  // SLRU_evict
  void main_promote(std::uint32_t s);
  std::uint32_t take(std::uint64_t key, Where where);
  void drop(SlotLists::List& l, std::uint32_t s);

  std::size_t window_capacity_ = 0, main_capacity_ = 0;
  std::size_t segment_capacity_[2] = {0, 0};
  std::uint64_t main_hits_ = 0, hits_per_decay_ = 0;
  bool admits_ = false;
  std::vector<std::uint64_t> key_;
  std::vector<Where> where_;
  SlotLists lists_;
  SlotLists::List window_, segment_[2];  // segment_[0] probation, [1] protected
  SlotPool pool_;
  KeyIndex index_;
  CountingBloomFilter sketch_;
};

}  // namespace loadlab
