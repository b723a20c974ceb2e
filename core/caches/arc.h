#pragma once
#include <vector>

#include "caches/key_index.h"
#include "caches/slot_cache.h"
#include "caches/slot_lists.h"

namespace loadlab {

// `arc`: Megiddo & Modha's Adaptive Replacement Cache (FAST'03), as in the paper's figure.
// T1 holds objects seen once recently, T2 objects seen at least twice; the ghost lists B1
// and B2 remember the ids evicted from each. A hit in a ghost list is a sign that list was
// too short: B1 hits grow the target size p of T1, B2 hits shrink it, by
// max(1, |other ghost| / |this ghost|). REPLACE evicts from T1 when |T1| exceeds p (or equals
// it on a B2 hit), otherwise from T2, moving the id to the matching ghost list.
class Arc final : public SlotCache {
 public:
  explicit Arc(std::size_t capacity) { reset(capacity); }
  bool access(std::uint64_t key) override;
  bool contains(std::uint64_t key) const override;
  std::size_t size() const override { return t1_.size + t2_.size; }
  std::vector<std::uint64_t> keys_by_value() const override;
  double target_t1() const { return p_; }
  std::size_t t1_size() const { return t1_.size; }
  std::size_t b1_size() const { return b1_.size; }

 private:
  enum Where : std::uint8_t { t1, t2, b1, b2 };
  void reset(std::size_t capacity) override;
  SlotLists::List& list(Where w);
  void replace(bool hit_in_b2);
  void drop(SlotLists::List& l, std::uint32_t s);  // forget an entry entirely
  void demote(SlotLists::List& from, SlotLists::List& to, Where where);

  std::vector<std::uint64_t> key_;
  std::vector<Where> where_;
  SlotLists lists_;
  SlotLists::List t1_, t2_, b1_, b2_;
  SlotPool pool_;
  KeyIndex index_;
  double p_ = 0;
};

}  // namespace loadlab
