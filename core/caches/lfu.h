#pragma once
#include <vector>

#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `lfu`: evicts the least frequently used object; among equal counts, the one that reached
// that count first. A key's count is forgotten when it is evicted. O(1) per access with
// frequency buckets (Shah, Mitra & Matani 2010): a list of buckets in increasing count, each
// holding its objects in the order they reached that count.
class Lfu final : public SlotCache {
 public:
  explicit Lfu(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return size_; }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::uint64_t count(std::uint64_t key) const;  // 0 when not cached

 private:
  static constexpr std::uint32_t kNil = SlotLists::kNil;
  struct Bucket {
    std::uint64_t count = 0;
    SlotLists::List objects;  // front: reached `count` last; back: first (evicted first)
    std::uint32_t lower = kNil, higher = kNil;
  };
  void reset(std::size_t capacity) override;
  std::uint32_t bucket_after(std::uint32_t b, std::uint64_t count);  // existing or new, right above b
  void drop_if_empty(std::uint32_t b);

  std::size_t size_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint32_t> bucket_of_;
  SlotLists lists_;
  SlotPool pool_;
  std::vector<Bucket> buckets_;
  SlotPool bucket_pool_;
  std::uint32_t lowest_ = kNil;
  KeyIndex index_;
};

}  // namespace loadlab
