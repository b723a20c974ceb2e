#pragma once
// Flat hash map from a 64-bit key to a 32-bit slot number, for the caches' O(1) lookups.
// Open addressing with linear probing and backward-shift deletion: no tombstones and no
// allocation once reserved, which std::unordered_map (one node per insert) cannot offer.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace loadlab {

class KeyIndex {
 public:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;

  // Sizes the table for up to `keys` entries at a load factor of at most 1/2.
  void reserve(std::size_t keys);
  std::uint32_t find(std::uint64_t key) const {
    if (slots_.empty()) return kAbsent;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kAbsent) return kAbsent;
      if (s.key == key) return s.value;
    }
  }
  // The key must not be present and size() must stay within the reserved count.
  void insert(std::uint64_t key, std::uint32_t value);
  // Assigns a new value to a present key.
  void update(std::uint64_t key, std::uint32_t value);
  // Removes a key if present.
  void erase(std::uint64_t key);
  void clear();
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = kAbsent;
  };
  std::size_t home(std::uint64_t key) const {
    // Fibonacci hashing: keys are often small consecutive integers, so spread them out.
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace loadlab
