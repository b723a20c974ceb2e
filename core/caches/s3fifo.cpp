#include "caches/s3fifo.h"

#include <algorithm>

namespace loadlab {

void S3Fifo::reset(std::size_t capacity) {
  capacity_ = capacity;
  small_capacity_ = capacity == 0 ? 0 : std::max<std::size_t>(1, capacity / 10);
  main_capacity_ = capacity - small_capacity_;
  ghost_capacity_ = main_capacity_;
  const std::size_t slots = capacity + ghost_capacity_ + 1;
  key_.assign(slots, 0);
  freq_.assign(slots, 0);
  where_.assign(slots, small);
  lists_.resize(slots);
  small_ = main_ = ghost_ = {};
  pool_.reset(slots);
  index_ = KeyIndex{};
  index_.reserve(slots);
}

bool S3Fifo::contains(std::uint64_t key) const {
  const std::uint32_t s = index_.find(key);
  return s != KeyIndex::kAbsent && where_[s] != ghost;
}

bool S3Fifo::in_ghost(std::uint64_t key) const {
  const std::uint32_t s = index_.find(key);
  return s != KeyIndex::kAbsent && where_[s] == ghost;
}

void S3Fifo::forget(SlotLists::List& l, std::uint32_t s) {
  lists_.unlink(l, s);
  index_.erase(key_[s]);
  pool_.give(s);
}

bool S3Fifo::access(std::uint64_t key) {
  const std::uint32_t s = index_.find(key);
  if (s != KeyIndex::kAbsent && where_[s] != ghost) {
    if (freq_[s] < 3) ++freq_[s];
    return true;
  }
  if (capacity_ == 0) return false;
  const bool was_ghost = s != KeyIndex::kAbsent;
  if (was_ghost) forget(ghost_, s);
  while (small_.size + main_.size >= capacity_) evict();
  const std::uint32_t n = pool_.take();
  key_[n] = key;
  freq_[n] = 0;
  where_[n] = was_ghost ? main : small;
  lists_.push_front(was_ghost ? main_ : small_, n);
  index_.insert(key, n);
  return false;
}

void S3Fifo::evict() {
  if (main_.size > main_capacity_ || small_.size == 0)
    evict_main();
  else
    evict_small();
}

void S3Fifo::evict_small() {
  while (small_.size > 0) {
    const std::uint32_t t = small_.back;
    if (freq_[t] >= 2) {
      lists_.move_to_front(small_, main_, t);
      where_[t] = main;
      freq_[t] = 0;
      continue;
    }
    // Evicted: its id goes to the ghost queue (the slot stays, holding only the id).
    lists_.move_to_front(small_, ghost_, t);
    where_[t] = ghost;
    if (ghost_.size > ghost_capacity_) forget(ghost_, ghost_.back);
    return;
  }
}

void S3Fifo::evict_main() {
  while (main_.size > 0) {
    const std::uint32_t t = main_.back;
    if (freq_[t] >= 1) {
      --freq_[t];
      lists_.move_to_front(main_, main_, t);
      continue;
    }
    forget(main_, t);
    return;
  }
}

std::vector<std::uint64_t> S3Fifo::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (const SlotLists::List* l : {&main_, &small_})
    for (std::uint32_t s = l->front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
