#include "caches/belady.h"

namespace loadlab {

Belady::Belady(std::size_t capacity) : capacity_(capacity), next_of_(capacity + 1), key_of_(capacity + 1) {
  slot_of_.reserve(capacity + 1);
  for (std::size_t s = capacity + 1; s-- > 0;) free_slots_.push_back(static_cast<std::uint32_t>(s));
}

bool Belady::valid(const Entry& e) const {
  return slot_of_.find(key_of_[e.second]) == e.second && next_of_[e.second] == e.first;
}

bool Belady::access(std::uint64_t key, std::uint64_t next) {
  if (capacity_ == 0) return false;
  const std::uint32_t s = slot_of_.find(key);
  if (s != KeyIndex::kAbsent) {
    next_of_[s] = next;
    farthest_.emplace(next, s);
    compact();
    return true;
  }
  if (size_ == capacity_) {
    while (!valid(farthest_.top())) farthest_.pop();
    if (farthest_.top().first <= next) return false;  // the newcomer is needed last: bypass
    const std::uint32_t victim = farthest_.top().second;
    farthest_.pop();
    slot_of_.erase(key_of_[victim]);
    free_slots_.push_back(victim);
    --size_;
  }
  const std::uint32_t n = free_slots_.back();
  free_slots_.pop_back();
  key_of_[n] = key;
  next_of_[n] = next;
  slot_of_.insert(key, n);
  farthest_.emplace(next, n);
  ++size_;
  compact();
  return false;
}

void Belady::compact() {
  // Every access pushes an entry (hits too), so on a long trace the heap would grow with the
  // trace: rebuild it from the live entries, one per cached key.
  if (farthest_.size() > 8 * (capacity_ + 1)) {
    std::priority_queue<Entry> fresh;
    while (!farthest_.empty()) {
      if (valid(farthest_.top())) fresh.push(farthest_.top());
      farthest_.pop();
    }
    farthest_.swap(fresh);
  }
}

std::uint64_t belady_misses(const std::vector<std::uint64_t>& keys, const std::vector<std::uint64_t>& next,
                            std::size_t capacity) {
  Belady min(capacity);
  std::uint64_t misses = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) misses += !min.access(keys[i], next[i]);
  return misses;
}

}  // namespace loadlab
