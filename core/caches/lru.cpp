#include "caches/lru.h"

#include <stdexcept>

namespace loadlab {

Lru::Lru(std::size_t capacity) { set_capacity(capacity); }

void Lru::unlink(std::uint32_t s) {
  if (prev_[s] != kNil)
    next_[prev_[s]] = next_[s];
  else
    head_ = next_[s];
  if (next_[s] != kNil)
    prev_[next_[s]] = prev_[s];
  else
    tail_ = prev_[s];
}

void Lru::push_front(std::uint32_t s) {
  prev_[s] = kNil;
  next_[s] = head_;
  if (head_ != kNil)
    prev_[head_] = s;
  else
    tail_ = s;
  head_ = s;
}

bool Lru::access(std::uint64_t key) {
  const std::uint32_t found = index_.find(key);
  if (found != KeyIndex::kAbsent) {
    if (found != head_) {
      unlink(found);
      push_front(found);
    }
    return true;
  }
  if (capacity_ == 0) return false;
  std::uint32_t slot;
  if (size_ < capacity_) {
    slot = static_cast<std::uint32_t>(size_++);
  } else {
    slot = tail_;
    unlink(slot);
    index_.erase(key_[slot]);
  }
  key_[slot] = key;
  push_front(slot);
  index_.insert(key, slot);
  return false;
}

std::vector<std::uint64_t> Lru::keys_by_recency() const {
  std::vector<std::uint64_t> out;
  out.reserve(size_);
  for (std::uint32_t s = head_; s != kNil; s = next_[s]) out.push_back(key_[s]);
  return out;
}

void Lru::set_capacity(std::size_t objects) {
  if (objects >= kNil) throw std::invalid_argument("cache capacity too large");
  // Keep the most recently used objects that fit, in their order, in fresh compact slots.
  std::vector<std::uint64_t> keep = keys_by_recency();
  if (keep.size() > objects) keep.resize(objects);
  capacity_ = objects;
  key_.assign(objects, 0);
  prev_.assign(objects, kNil);
  next_.assign(objects, kNil);
  index_ = KeyIndex{};
  index_.reserve(objects);
  size_ = 0;
  head_ = tail_ = kNil;
  for (auto it = keep.rbegin(); it != keep.rend(); ++it) access(*it);
}

void Lru::clear() {
  index_.clear();
  size_ = 0;
  head_ = tail_ = kNil;
}

}  // namespace loadlab
