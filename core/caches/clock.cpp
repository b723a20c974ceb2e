#include "caches/clock.h"

namespace loadlab {

bool Clock::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    mark_[s] = 1;  // referenced
    return true;
  }
  if (capacity_ == 0) return false;
  if (full()) {
    while (mark_[queue_.back]) {
      const std::uint32_t second_chance = queue_.back;
      mark_[second_chance] = 0;
      lists_.move_to_front(queue_, queue_, second_chance);
    }
    evict(queue_.back);
  }
  insert_newest(key);
  return false;
}

}  // namespace loadlab
