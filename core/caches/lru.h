#pragma once
#include <vector>

#include "caches/cache.h"
#include "caches/key_index.h"

namespace loadlab {

// `lru`: evicts the least recently used object. A doubly linked list threaded through
// fixed slot arrays (indices, not pointers) plus a flat key index: O(1) per access and no
// allocation once the cache is full.
class Lru final : public Cache {
 public:
  explicit Lru(std::size_t capacity);
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  void set_capacity(std::size_t objects) override;
  std::size_t capacity() const override { return capacity_; }
  std::size_t size() const override { return size_; }
  void clear() override;

  // Keys from most to least recently used (tests, tools).
  std::vector<std::uint64_t> keys_by_recency() const;

 private:
  static constexpr std::uint32_t kNil = KeyIndex::kAbsent;
  void unlink(std::uint32_t slot);
  void push_front(std::uint32_t slot);

  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint32_t> prev_, next_;
  std::uint32_t head_ = kNil;  // most recently used
  std::uint32_t tail_ = kNil;  // least recently used
  KeyIndex index_;
};

}  // namespace loadlab
