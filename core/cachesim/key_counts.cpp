#include "cachesim/key_counts.h"

#include <bit>

namespace loadlab {

KeyCounts::KeyCounts(std::size_t max_keys) : max_keys_(max_keys) {
  slots_.resize(1024);
  mask_ = slots_.size() - 1;
  shift_ = 64 - std::countr_zero(slots_.size());
}

void KeyCounts::add(std::uint64_t key) {
  for (std::size_t i = home(key);; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.count == 0) {
      if (size_ == max_keys_) {
        overflowed_ = true;
        return;
      }
      s.key = key;
      s.count = 1;
      if (++size_ * 2 > slots_.size()) grow();
      return;
    }
    if (s.key == key) {
      ++s.count;
      return;
    }
  }
}

void KeyCounts::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  shift_ = 64 - std::countr_zero(slots_.size());
  for (const Slot& s : old) {
    if (s.count == 0) continue;
    std::size_t i = home(s.key);
    while (slots_[i].count != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

std::vector<std::uint64_t> KeyCounts::counts() const {
  std::vector<std::uint64_t> out;
  out.reserve(size_);
  for (const Slot& s : slots_)
    if (s.count != 0) out.push_back(s.count);
  return out;
}

}  // namespace loadlab
