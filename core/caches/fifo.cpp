#include "fifo.h"

namespace loadlab {

void Fifo::reset(std::size_t capacity) {
  capacity_ = capacity;
  key_.assign(capacity, 0);
  lists_.resize(capacity);
  queue_ = {};
  pool_.reset(capacity);
  index_ = KeyIndex{};
  index_.reserve(capacity);
}

bool Fifo::access(std::uint64_t key) {
  if (index_.find(key) != KeyIndex::kAbsent) return true;
  if (capacity_ == 0) return false;
  if (queue_.size == capacity_) {
    const std::uint32_t victim = queue_.back;
    lists_.unlink(queue_, victim);
    index_.erase(key_[victim]);
    pool_.give(victim);
  }
  const std::uint32_t s = pool_.take();
  key_[s] = key;
  lists_.push_front(queue_, s);
  index_.insert(key, s);
  return false;
}

std::vector<std::uint64_t> Fifo::keys_by_value() const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t s = queue_.front; s != SlotLists::kNil; s = lists_.older(s)) out.push_back(key_[s]);
  return out;
}

}  // namespace loadlab
