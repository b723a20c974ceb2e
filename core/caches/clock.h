#pragma once
#include <vector>

#include "key_index.h"
#include "slot_cache.h"
#include "slot_lists.h"

namespace loadlab {

// `clock`: FIFO with one reference bit per object (second chance). A hit sets the bit; new
// objects enter with it clear. To evict, the oldest object with its bit set has it cleared
// and is re-inserted as the newest; the first oldest object without it is evicted.
class Clock final : public SlotCache {
 public:
  explicit Clock(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return queue_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;

 private:
  void reset(std::size_t capacity) override;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint8_t> referenced_;
  SlotLists lists_;
  SlotLists::List queue_;
  SlotPool pool_;
  KeyIndex index_;
};

}  // namespace loadlab
