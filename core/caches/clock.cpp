#include "clock.h"

namespace loadlab {

void Clock::reset(std::size_t capacity) {
  capacity_ = capacity;
  key_.assign(capacity, 0);
  referenced_.assign(capacity, 0);
  lists_.resize(capacity);
  queue_ = {};
  pool_.reset(capacity);
  index_ = KeyIndex{};
  index_.reserve(capacity);
}

bool Clock::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    referenced_[s] = 1;
    return true;
  }
  if (capacity_ == 0) return false;
  if (queue_.size == capacity_) {
    while (referenced_[queue_.back]) {
      const std::uint32_t second_chance = queue_.back;
      referenced_[second_chance] = 0;
      lists_.move_to_front(queue_, queue_, second_chance);
    }
    const std::uint32_t victim = queue_.back;
    lists_.unlink(queue_, victim);
    index_.erase(key_[victim]);
    pool_.give(victim);
  }
  const std::uint32_t s = pool_.take();
  key_[s] = key;
  referenced_[s] = 0;
  lists_.push_front(queue_, s);
  index_.insert(key, s);
  return false;
}

std::vector<std::uint64_t> Clock::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t s = queue_.front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
