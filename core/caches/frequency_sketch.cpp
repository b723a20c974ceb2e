#include "caches/frequency_sketch.h"

#include <algorithm>
#include <bit>

namespace loadlab {

namespace {
constexpr std::uint64_t kResetMask = 0x7777777777777777ULL;
constexpr std::uint64_t kOneMask = 0x1111111111111111ULL;
constexpr std::uint64_t kMinSketchSize = 256;
constexpr std::uint64_t kIntMax = 0x7FFFFFFF;
}  // namespace

void FrequencySketch::ensure_capacity(std::uint64_t maximum_size) {
  // Java ints: the maximum is capped at Integer.MAX_VALUE >>> 1 and the sample size at
  // Integer.MAX_VALUE.
  const std::uint64_t maximum = std::max(std::min(maximum_size, kIntMax >> 1), kMinSketchSize);
  const auto sample = static_cast<std::uint32_t>(std::min(10 * maximum, kIntMax));
  if (!table_.empty() && table_.size() >= maximum) {
    if (sample != sample_size_) {
      sample_size_ = sample;
      size_ = std::min(size_, sample_size_ - 1);
    }
    return;
  }
  table_.assign(std::bit_ceil(maximum), 0);
  block_mask_ = static_cast<std::uint32_t>((table_.size() >> 3) - 1);
  sample_size_ = sample;
  size_ = 0;
}

void FrequencySketch::clear() {
  table_.clear();
  table_.shrink_to_fit();
  block_mask_ = sample_size_ = size_ = 0;
  resets_ = 0;
}

std::uint32_t FrequencySketch::spread(std::uint32_t x) {
  x ^= x >> 17;
  x *= 0xed5ad4bbU;
  x ^= x >> 11;
  x *= 0xac4c1b51U;
  x ^= x >> 15;
  return x;
}

std::uint32_t FrequencySketch::rehash(std::uint32_t x) {
  x *= 0x31848babU;
  x ^= x >> 14;
  return x;
}

std::uint32_t FrequencySketch::frequency(std::uint64_t key) const {
  if (!initialized()) return 0;
  const std::uint32_t block_hash = spread(java_long_hash(key));
  const std::uint32_t counter_hash = rehash(block_hash);
  const std::uint32_t block = (block_hash & block_mask_) << 3;
  std::uint32_t frequency = 15;
  for (std::uint32_t i = 0; i < 4; ++i) {
    const std::uint32_t h = counter_hash >> (i << 3);
    const std::uint32_t index = (h >> 1) & 15;
    const std::uint32_t slot = block + (h & 1) + (i << 1);
    frequency = std::min(frequency, static_cast<std::uint32_t>((table_[slot] >> (index << 2)) & 0xF));
  }
  return frequency;
}

void FrequencySketch::increment(std::uint64_t key) {
  if (!initialized()) return;
  const std::uint32_t block_hash = spread(java_long_hash(key));
  const std::uint32_t counter_hash = rehash(block_hash);
  const std::uint32_t block = (block_hash & block_mask_) << 3;
  bool added = false;
  for (std::uint32_t i = 0; i < 4; ++i) {  // all four, as Caffeine's non-short-circuit `|`
    const std::uint32_t h = counter_hash >> (i << 3);
    added |= increment_at(block + (h & 1) + (i << 1), (h >> 1) & 15);
  }
  if (added && ++size_ == sample_size_) reset();
}

bool FrequencySketch::increment_at(std::uint32_t slot, std::uint32_t index) {
  const std::uint32_t offset = index << 2;
  const std::uint64_t mask = 0xFULL << offset;
  if ((table_[slot] & mask) == mask) return false;
  table_[slot] += 1ULL << offset;
  return true;
}

void FrequencySketch::reset() {
  std::uint64_t odd = 0;
  for (std::uint64_t& slot : table_) {
    odd += static_cast<std::uint64_t>(std::popcount(slot & kOneMask));
    slot = (slot >> 1) & kResetMask;
  }
  // size - odd/4 >= 0: size is 10 × maximum, and the table (at most 2 × maximum slots of 16)
  // holds at most 32 × maximum odd counters.
  size_ = static_cast<std::uint32_t>((static_cast<std::uint64_t>(size_) - (odd >> 2)) >> 1);
  ++resets_;
}

}  // namespace loadlab
