#pragma once
// How often each key was requested, in a table of bounded size: the Che and FIFO models
// need every key's count, but a real trace can hold more distinct keys than memory allows,
// so the table stops at `max_keys` and says it overflowed instead of growing without end.
// Open addressing with linear probing, doubled as it fills (load at most 1/2).
#include <cstdint>
#include <vector>

namespace loadlab {

class KeyCounts {
 public:
  explicit KeyCounts(std::size_t max_keys);
  void add(std::uint64_t key);
  // add() over a batch.
  void add(const std::vector<std::uint64_t>& keys) {
    for (std::uint64_t k : keys) add(k);
  }
  // Distinct keys counted; when overflowed(), a lower bound (the table stopped at max_keys).
  std::size_t distinct() const { return size_; }
  bool overflowed() const { return overflowed_; }
  std::size_t max_keys() const { return max_keys_; }
  // Every counted key's count, in no particular order.
  std::vector<std::uint64_t> counts() const;

 private:
  struct Slot {
    std::uint64_t key = 0, count = 0;  // count 0: empty
  };
  void grow();
  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0, size_ = 0, max_keys_;
  int shift_ = 64;
  bool overflowed_ = false;
};

}  // namespace loadlab
