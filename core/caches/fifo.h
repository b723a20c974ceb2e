#pragma once
#include <vector>

#include "key_index.h"
#include "slot_cache.h"
#include "slot_lists.h"

namespace loadlab {

// `fifo`: evicts the object that entered first; a hit changes nothing.
class Fifo final : public SlotCache {
 public:
  explicit Fifo(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return queue_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;

 private:
  void reset(std::size_t capacity) override;
  std::vector<std::uint64_t> key_;
  SlotLists lists_;
  SlotLists::List queue_;
  SlotPool pool_;
  KeyIndex index_;
};

}  // namespace loadlab
