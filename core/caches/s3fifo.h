#pragma once
#include <vector>

#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `s3fifo` (Yang et al., SOSP'23): three FIFO queues. A small queue S (10% of the capacity)
// filters one-hit wonders, a main queue M (90%) keeps the rest, and a ghost queue G remembers
// the ids of objects dropped from S (as many ids as M holds objects). Each cached object has
// a 2-bit frequency, capped at 3, that a hit increments. A miss whose id is in G goes to M,
// any other to S, with frequency 0. Eviction takes from M when M is over its share or S is
// empty, else from S. Leaving S, an object with frequency >= 2 moves to M (frequency reset
// to 0), others go to G. Leaving M, an object with frequency >= 1 is re-inserted with one
// less; the first with 0 is evicted.
class S3Fifo final : public SlotCache {
 public:
  explicit S3Fifo(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override;
  std::size_t size() const override { return small_.size + main_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::size_t small_capacity() const { return small_capacity_; }
  bool in_ghost(std::uint64_t key) const;

 private:
  enum Where : std::uint8_t { small, main, ghost };
  void reset(std::size_t capacity) override;
  void evict();
  void evict_small();
  void evict_main();
  void forget(SlotLists::List& l, std::uint32_t s);

  std::size_t small_capacity_ = 0, main_capacity_ = 0, ghost_capacity_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint8_t> freq_;
  std::vector<Where> where_;
  SlotLists lists_;
  SlotLists::List small_, main_, ghost_;
  SlotPool pool_;
  KeyIndex index_;
};

}  // namespace loadlab
