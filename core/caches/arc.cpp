#include "caches/arc.h"

#include <algorithm>

namespace loadlab {

void Arc::reset(std::size_t capacity) {
  capacity_ = capacity;
  key_.assign(2 * capacity, 0);  // cache plus ghosts: at most 2c entries
  where_.assign(2 * capacity, t1);
  lists_.resize(2 * capacity);
  t1_ = t2_ = b1_ = b2_ = {};
  pool_.reset(2 * capacity);
  index_ = KeyIndex{};
  index_.reserve(2 * capacity);
  p_ = 0;
}

SlotLists::List& Arc::list(Where w) {
  switch (w) {
    case t1:
      return t1_;
    case t2:
      return t2_;
    case b1:
      return b1_;
    case b2:
      break;
  }
  return b2_;
}

bool Arc::contains(std::uint64_t key) const {
  const std::uint32_t s = index_.find(key);
  return s != KeyIndex::kAbsent && (where_[s] == t1 || where_[s] == t2);
}

void Arc::drop(SlotLists::List& l, std::uint32_t s) {
  lists_.unlink(l, s);
  index_.erase(key_[s]);
  pool_.give(s);
}

void Arc::demote(SlotLists::List& from, SlotLists::List& to, Where where) {
  const std::uint32_t s = from.back;
  lists_.move_to_front(from, to, s);
  where_[s] = where;
}

void Arc::replace(bool hit_in_b2) {
  const auto t1_size = static_cast<double>(t1_.size);
  if (t1_.size >= 1 && ((hit_in_b2 && t1_size == p_) || t1_size > p_))
    demote(t1_, b1_, b1);
  else if (t2_.size >= 1)
    demote(t2_, b2_, b2);
  else
    demote(t1_, b1_, b1);
}

bool Arc::access(std::uint64_t key) {
  const std::uint32_t s = index_.find(key);
  const double c = static_cast<double>(capacity_);
  if (s != KeyIndex::kAbsent) {
    const Where w = where_[s];
    if (w == t1 || w == t2) {  // Case I: a hit
      lists_.move_to_front(list(w), t2_, s);
      where_[s] = t2;
      return true;
    }
    if (w == b1) {  // Case II: T1 was too small
      p_ = std::min(c, p_ + std::max(1.0, static_cast<double>(b2_.size) / static_cast<double>(b1_.size)));
      replace(false);
    } else {  // Case III: T2 was too small
      p_ = std::max(0.0, p_ - std::max(1.0, static_cast<double>(b1_.size) / static_cast<double>(b2_.size)));
      replace(true);
    }
    lists_.move_to_front(list(w), t2_, s);
    where_[s] = t2;
    return false;
  }
  if (capacity_ == 0) return false;
  // Case IV: not in the cache nor in a ghost list.
  const std::size_t l1 = t1_.size + b1_.size;
  const std::size_t total = l1 + t2_.size + b2_.size;
  if (l1 == capacity_) {
    if (t1_.size < capacity_) {
      drop(b1_, b1_.back);
      replace(false);
    } else {
      drop(t1_, t1_.back);
    }
  } else if (total >= capacity_) {
    if (total == 2 * capacity_) drop(b2_, b2_.back);
    replace(false);
  }
  const std::uint32_t n = pool_.take();
  key_[n] = key;
  where_[n] = t1;
  lists_.push_front(t1_, n);
  index_.insert(key, n);
  return false;
}

std::vector<std::uint64_t> Arc::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (const SlotLists::List* l : {&t2_, &t1_})
    for (std::uint32_t s = l->front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
