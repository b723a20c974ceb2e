#include "sieve.h"

namespace loadlab {

void Sieve::reset(std::size_t capacity) {
  capacity_ = capacity;
  key_.assign(capacity, 0);
  visited_.assign(capacity, 0);
  lists_.resize(capacity);
  queue_ = {};
  hand_ = SlotLists::kNil;
  pool_.reset(capacity);
  index_ = KeyIndex{};
  index_.reserve(capacity);
}

bool Sieve::access(std::uint64_t key) {
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    visited_[s] = 1;
    return true;
  }
  if (capacity_ == 0) return false;
  if (queue_.size == capacity_) {
    std::uint32_t o = hand_ != SlotLists::kNil ? hand_ : queue_.back;
    while (visited_[o]) {
      visited_[o] = 0;
      o = lists_.newer(o);
      if (o == SlotLists::kNil) o = queue_.back;
    }
    hand_ = lists_.newer(o);
    lists_.unlink(queue_, o);
    index_.erase(key_[o]);
    pool_.give(o);
  }
  const std::uint32_t s = pool_.take();
  key_[s] = key;
  visited_[s] = 0;
  lists_.push_front(queue_, s);
  index_.insert(key, s);
  return false;
}

std::vector<std::uint64_t> Sieve::keys_by_value() const {
  // Visited objects first (they survive the next sweep), then the rest head to tail.
  std::vector<std::uint64_t> out;
  for (int pass = 1; pass >= 0; --pass)
    for (std::uint32_t s = queue_.front; s != SlotLists::kNil; s = lists_.older(s))
      if (visited_[s] == pass) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
