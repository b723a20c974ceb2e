#include "caches/key_index.h"

#include <algorithm>
#include <bit>

namespace loadlab {

void KeyIndex::reserve(std::size_t keys) {
  const std::size_t want = std::bit_ceil(std::max<std::size_t>(16, keys * 2));
  if (want <= slots_.size()) return;
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(want, Slot{});
  mask_ = want - 1;
  shift_ = 64 - std::countr_zero(want);
  size_ = 0;
  for (const Slot& s : old)
    if (s.value != kAbsent) insert(s.key, s.value);
}

void KeyIndex::insert(std::uint64_t key, std::uint32_t value) {
  if ((size_ + 1) * 2 > slots_.size()) reserve(size_ + 1);
  std::size_t i = home(key);
  while (slots_[i].value != kAbsent) i = (i + 1) & mask_;
  slots_[i] = Slot{key, value};
  ++size_;
}

void KeyIndex::update(std::uint64_t key, std::uint32_t value) {
  for (std::size_t i = home(key);; i = (i + 1) & mask_) {
    if (slots_[i].value == kAbsent) return;
    if (slots_[i].key == key) {
      slots_[i].value = value;
      return;
    }
  }
}

void KeyIndex::erase(std::uint64_t key) {
  if (slots_.empty()) return;
  std::size_t hole = home(key);
  while (true) {
    if (slots_[hole].value == kAbsent) return;
    if (slots_[hole].key == key) break;
    hole = (hole + 1) & mask_;
  }
  // Backward shift: pull later entries of the probe run into the hole when their home
  // position allows it, so lookups never need tombstones.
  for (std::size_t j = (hole + 1) & mask_; slots_[j].value != kAbsent; j = (j + 1) & mask_) {
    const std::size_t k = home(slots_[j].key);
    if (((j - k) & mask_) >= ((j - hole) & mask_)) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Slot{};
  --size_;
}

void KeyIndex::clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  size_ = 0;
}

}  // namespace loadlab
