#pragma once
#include "caches/single_queue_cache.h"

namespace loadlab {

// `clock`: FIFO with one reference bit per object (second chance). A hit sets the bit; new
// objects enter with it clear. To evict, the oldest object with its bit set has it cleared
// and is re-inserted as the newest; the first oldest object without it is evicted.
class Clock final : public SingleQueueCache {
 public:
  explicit Clock(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  std::vector<std::uint64_t> keys_by_value() const override { return keys_newest_first(false); }
};

}  // namespace loadlab
