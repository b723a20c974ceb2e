#pragma once
// Shared plumbing of the slot-array eviction policies: a capacity, a resize that keeps the
// most valuable objects, and contains() through the policy's key index.
#include <vector>

#include "caches/cache.h"

namespace loadlab {

class SlotCache : public Cache {
 public:
  std::size_t capacity() const override { return capacity_; }
  void clear() override { reset(capacity_); }
  // A resize starts the policy afresh at the new capacity and re-admits the cached keys it
  // valued most (as many as fit), least valuable first, so their order survives; counts a
  // policy kept (frequencies, ghosts) start over.
  void set_capacity(std::size_t objects) override {
    std::vector<std::uint64_t> keep = keys_by_value();
    if (keep.size() > objects) keep.resize(objects);
    reset(objects);
    for (auto it = keep.rbegin(); it != keep.rend(); ++it) access(*it);
  }
  // The cached keys, the one the policy would evict last first.
  virtual std::vector<std::uint64_t> keys_by_value() const = 0;

 protected:
  virtual void reset(std::size_t capacity) = 0;
  std::size_t capacity_ = 0;
};

}  // namespace loadlab
