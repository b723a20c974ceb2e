#pragma once
#include <vector>

#include "caches/frequency_sketch.h"
#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `wtinylfu`: Caffeine's W-TinyLFU (Einziger et al. 2017). New objects enter a small LRU
// window (1% of the capacity). The rest is a segmented LRU: probation (20%) and protected
// (80%); a hit in probation promotes to protected, whose overflow is demoted back to
// probation's head. When the window overflows, its LRU object is a candidate for the main
// space: if the main space is full, the candidate and probation's LRU victim are compared
// by their TinyLFU estimate (every access counts) and only a strictly more popular
// candidate gets in. The window size is fixed (Caffeine's hill climbing is not modelled).
class WTinyLfu final : public SlotCache {
 public:
  explicit WTinyLfu(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override { return index_.find(key) != KeyIndex::kAbsent; }
  std::size_t size() const override { return window_.size + probation_.size + protected_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;
  std::size_t window_capacity() const { return window_capacity_; }
  std::uint32_t estimate(std::uint64_t key) const { return sketch_.estimate(key); }

 private:
  enum Where : std::uint8_t { window, probation, protected_segment };
  void reset(std::size_t capacity) override;
  void evict_from_main(std::uint32_t candidate);
  void remove(SlotLists::List& l, std::uint32_t s);

  std::size_t window_capacity_ = 0, protected_capacity_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<Where> where_;
  SlotLists lists_;
  SlotLists::List window_, probation_, protected_;
  SlotPool pool_;
  KeyIndex index_;
  FrequencySketch sketch_;
};

}  // namespace loadlab
