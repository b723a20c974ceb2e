#pragma once
#include "caches/single_queue_cache.h"

namespace loadlab {

// `fifo`: evicts the object that entered first; a hit changes nothing.
class Fifo final : public SingleQueueCache {
 public:
  explicit Fifo(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  std::vector<std::uint64_t> keys_by_value() const override { return keys_newest_first(false); }
};

}  // namespace loadlab
