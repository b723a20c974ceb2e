#include "caches/sieve.h"

namespace loadlab {

bool Sieve::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    mark_[s] = 1;  // visited
    return true;
  }
  if (capacity_ == 0) return false;
  if (full()) {
    std::uint32_t o = hand_ != SlotLists::kNil ? hand_ : queue_.back;
    while (mark_[o]) {
      mark_[o] = 0;
      o = lists_.newer(o);
      if (o == SlotLists::kNil) o = queue_.back;
    }
    hand_ = lists_.newer(o);
    evict(o);
  }
  insert_newest(key);
  return false;
}

}  // namespace loadlab
