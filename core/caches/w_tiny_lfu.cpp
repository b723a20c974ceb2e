#include "caches/w_tiny_lfu.h"

#include <algorithm>
#include <cmath>

namespace loadlab {

void WTinyLfu::reset(std::size_t capacity) {
  capacity_ = capacity;
  window_capacity_ =
      capacity == 0
          ? 0
          : std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(0.01 * static_cast<double>(capacity))));
  const std::size_t main = capacity - window_capacity_;
  protected_capacity_ = static_cast<std::size_t>(std::llround(0.8 * static_cast<double>(main)));
  const std::size_t slots = capacity + 1;  // one more: the candidate joins before the victim leaves
  key_.assign(slots, 0);
  where_.assign(slots, window);
  lists_.resize(slots);
  window_ = probation_ = protected_ = {};
  pool_.reset(slots);
  index_ = KeyIndex{};
  index_.reserve(slots);
  sketch_.reset(capacity);
}

void WTinyLfu::remove(SlotLists::List& l, std::uint32_t s) {
  lists_.unlink(l, s);
  index_.erase(key_[s]);
  pool_.give(s);
}

bool WTinyLfu::access(std::uint64_t key) {
  sketch_.increment(key);
  if (const std::uint32_t s = index_.find(key); s != KeyIndex::kAbsent) {
    switch (where_[s]) {
      case window:
        lists_.move_to_front(window_, window_, s);
        break;
      case probation:
        lists_.move_to_front(probation_, protected_, s);
        where_[s] = protected_segment;
        if (protected_.size > protected_capacity_) {
          const std::uint32_t demoted = protected_.back;
          lists_.move_to_front(protected_, probation_, demoted);
          where_[demoted] = probation;
        }
        break;
      case protected_segment:
        lists_.move_to_front(protected_, protected_, s);
        break;
    }
    return true;
  }
  if (capacity_ == 0) return false;
  const std::uint32_t n = pool_.take();
  key_[n] = key;
  where_[n] = window;
  lists_.push_front(window_, n);
  index_.insert(key, n);
  if (window_.size > window_capacity_) {
    const std::uint32_t candidate = window_.back;
    lists_.move_to_front(window_, probation_, candidate);
    where_[candidate] = probation;
    if (size() > capacity_) evict_from_main(candidate);
  }
  return false;
}

void WTinyLfu::evict_from_main(std::uint32_t candidate) {
  std::uint32_t victim = probation_.back;
  if (victim == candidate) victim = protected_.size > 0 ? protected_.back : candidate;
  if (victim == candidate) {
    remove(probation_, candidate);
    return;
  }
  const bool admit = sketch_.estimate(key_[candidate]) > sketch_.estimate(key_[victim]);
  if (!admit) {
    remove(probation_, candidate);
    return;
  }
  remove(where_[victim] == probation ? probation_ : protected_, victim);
}

std::vector<std::uint64_t> WTinyLfu::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (const SlotLists::List* l : {&protected_, &window_, &probation_})
    for (std::uint32_t s = l->front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
