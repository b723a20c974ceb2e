#include "caches/frequency_sketch.h"

#include <algorithm>
#include <bit>

#include "base/hash.h"

namespace loadlab {

void FrequencySketch::reset(std::size_t capacity) {
  width_ = std::bit_ceil(std::max<std::size_t>(16, capacity));
  counters_.assign(kRows * width_, 0);
  sample_size_ = 10 * std::max<std::uint64_t>(1, capacity);
  additions_ = 0;
  halvings_ = 0;
}

std::size_t FrequencySketch::index(int row, std::uint64_t key) const {
  return static_cast<std::size_t>(row) * width_ +
         (mix64(key, 0x5EED0000ULL + static_cast<std::uint64_t>(row)) & (width_ - 1));
}

void FrequencySketch::increment(std::uint64_t key) {
  bool added = false;
  for (int r = 0; r < kRows; ++r) {
    std::uint8_t& c = counters_[index(r, key)];
    if (c < 15) {
      ++c;
      added = true;
    }
  }
  if (added && ++additions_ >= sample_size_) {
    for (std::uint8_t& c : counters_) c >>= 1;
    additions_ /= 2;
    ++halvings_;
  }
}

std::uint32_t FrequencySketch::estimate(std::uint64_t key) const {
  std::uint32_t least = 15;
  for (int r = 0; r < kRows; ++r) least = std::min<std::uint32_t>(least, counters_[index(r, key)]);
  return least;
}

}  // namespace loadlab
