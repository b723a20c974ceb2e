#pragma once
#include "caches/single_queue_cache.h"

namespace loadlab {

// `sieve` (Zhang et al., NSDI'24): one FIFO queue, new objects at the head, a visited bit
// per object that a hit sets. To evict, a hand starting at the tail moves toward the head
// (wrapping to the tail), clearing visited bits, until it finds an unvisited object, which
// it evicts; the hand stays at that object's neighbour toward the head. Unlike CLOCK,
// survivors are not moved: new objects stay near the head, old popular ones near the tail.
class Sieve final : public SingleQueueCache {
 public:
  explicit Sieve(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  // Visited objects first (they survive the next sweep), then the rest head to tail.
  std::vector<std::uint64_t> keys_by_value() const override { return keys_newest_first(true); }

 private:
  void reset(std::size_t capacity) override {
    SingleQueueCache::reset(capacity);
    hand_ = SlotLists::kNil;
  }
  std::uint32_t hand_ = SlotLists::kNil;  // kNil: start from the tail
};

}  // namespace loadlab
