#pragma once
// TinyLFU's popularity estimate exactly as Caffeine's FrequencySketch keeps it (Einziger,
// Friedman & Manes 2017; caffeine/cache/FrequencySketch.java): 4-bit counters, sixteen to a
// 64-bit slot, in a table of the cache's maximum size rounded up to a power of two (at least
// 256 slots). A key picks one 64-byte block of eight slots and, in it, one counter in each of
// four 16-byte pairs (depth 4). Counters saturate at 15. After 10 × maximum increments that
// changed a counter, every counter is halved and the count restarts from what the halving
// left (minus a quarter of the odd counters, the error halving introduces).
//
// Keys are hashed as Java hashes a Long (`(int) (v ^ (v >>> 32))`) and then through
// Caffeine's spread and rehash, so a trace of integer ids gets the counters Caffeine would
// give the same ids as Longs.
#include <cstdint>
#include <vector>

namespace loadlab {

class FrequencySketch {
 public:
  // Caffeine's ensureCapacity: sizes the table for a cache of `maximum_size` entries; a
  // table already large enough keeps its counts (only the sample size follows).
  void ensure_capacity(std::uint64_t maximum_size);
  bool initialized() const { return !table_.empty(); }
  void increment(std::uint64_t key);
  std::uint32_t frequency(std::uint64_t key) const;  // 0..15; 0 before ensure_capacity
  // Forgets everything (not initialized).
  void clear();

  std::uint64_t resets() const { return resets_; }
  std::uint32_t additions() const { return size_; }  // Caffeine's `size`: since the last reset
  std::uint32_t sample_size() const { return sample_size_; }
  std::size_t table_slots() const { return table_.size(); }

  // Caffeine's hashing of a Long key, for tests that check the layout.
  static std::uint32_t java_long_hash(std::uint64_t key) { return static_cast<std::uint32_t>(key ^ (key >> 32)); }
  static std::uint32_t spread(std::uint32_t x);
  static std::uint32_t rehash(std::uint32_t x);

 private:
  bool increment_at(std::uint32_t slot, std::uint32_t index);
  void reset();

  std::vector<std::uint64_t> table_;
  std::uint32_t block_mask_ = 0, sample_size_ = 0, size_ = 0;
  std::uint64_t resets_ = 0;
};

}  // namespace loadlab
