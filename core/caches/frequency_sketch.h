#pragma once
// TinyLFU's popularity estimate (Einziger, Friedman & Manes 2017), as Caffeine keeps it: a
// count-min sketch of 4-bit counters (they saturate at 15), four rows, a width of the next
// power of two above the cache capacity, and aging: after 10 × capacity increments every
// counter is halved, so the sketch follows a shifting popularity.
#include <cstdint>
#include <vector>

namespace loadlab {

class FrequencySketch {
 public:
  void reset(std::size_t capacity);
  void increment(std::uint64_t key);
  std::uint32_t estimate(std::uint64_t key) const;  // 0..15
  std::uint64_t halvings() const { return halvings_; }

 private:
  static constexpr int kRows = 4;
  std::size_t index(int row, std::uint64_t key) const;
  std::vector<std::uint8_t> counters_;  // kRows × width_, one 4-bit counter per byte
  std::size_t width_ = 0;
  std::uint64_t additions_ = 0, sample_size_ = 0, halvings_ = 0;
};

}  // namespace loadlab
