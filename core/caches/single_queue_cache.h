#pragma once
// The plumbing FIFO, CLOCK and SIEVE share: one queue of slots (front = newest), a key index
// and a pool of free slots, plus a one-byte mark per slot (CLOCK's reference bit, SIEVE's
// visited bit). Each policy adds only its hit rule and its choice of victim.
#include <vector>

#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

class SingleQueueCache : public SlotCache {
 public:
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return queue_.size; }

 protected:
  void reset(std::size_t capacity) override {
    capacity_ = capacity;
    key_.assign(capacity, 0);
    mark_.assign(capacity, 0);
    lists_.resize(capacity);
    queue_ = {};
    pool_.reset(capacity);
    index_ = KeyIndex{};
    index_.reserve(capacity);
  }
  bool full() const { return queue_.size == capacity_; }
  void evict(std::uint32_t victim) {
    lists_.unlink(queue_, victim);
    index_.erase(key_[victim]);
    pool_.give(victim);
  }
  void insert_newest(std::uint64_t key) {
    const std::uint32_t s = pool_.take();
    key_[s] = key;
    mark_[s] = 0;
    lists_.push_front(queue_, s);
    index_.insert(key, s);
  }
  // Keys newest first; with `marked_first`, the marked ones (they survive the next sweep) lead.
  std::vector<std::uint64_t> keys_newest_first(bool marked_first) const {
    std::vector<std::uint64_t> out;
    for (int pass = marked_first ? 1 : 0; pass >= 0; --pass)
      for (std::uint32_t s = queue_.front; s != SlotLists::kNil; s = lists_.older(s))
        if (!marked_first || mark_[s] == pass) out.push_back(key_[s]);
    return out;
  }

  std::vector<std::uint64_t> key_;
  std::vector<std::uint8_t> mark_;
  SlotLists lists_;
  SlotLists::List queue_;
  SlotPool pool_;
  KeyIndex index_;
};

}  // namespace loadlab
