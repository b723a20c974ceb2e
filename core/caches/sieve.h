#pragma once
#include <vector>

#include "key_index.h"
#include "slot_cache.h"
#include "slot_lists.h"

namespace loadlab {

// `sieve` (Zhang et al., NSDI'24): one FIFO queue, new objects at the head, a visited bit
// per object that a hit sets. To evict, a hand starting at the tail moves toward the head
// (wrapping to the tail), clearing visited bits, until it finds an unvisited object, which
// it evicts; the hand stays at that object's neighbour toward the head. Unlike CLOCK,
// survivors are not moved: new objects stay near the head, old popular ones near the tail.
class Sieve final : public SlotCache {
 public:
  explicit Sieve(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return queue_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;

 private:
  void reset(std::size_t capacity) override;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint8_t> visited_;
  SlotLists lists_;
  SlotLists::List queue_;
  std::uint32_t hand_ = SlotLists::kNil;  // kNil: start from the tail
  SlotPool pool_;
  KeyIndex index_;
};

}  // namespace loadlab
