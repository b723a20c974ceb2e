#pragma once
// The frequency sketch of libCacheSim's WTinyLFU (dataStructure/minimalIncrementCBF.c): one
// array of 32-bit counters sized for `entries` keys at a 0.1% error — 14.38 counters a key,
// ten of them per key at (a + i·b) mod n, a and b the low 32 bits of XXH64 of the id under
// two seeds. An estimate is the least of a key's ten counters. Despite the name, an add
// increments all ten (libCacheSim finds the minimum and then increments every position;
// a position hit twice counts twice). Aging halves every counter.
#include <cstdint>
#include <vector>

namespace loadlab {

class CountingBloomFilter {
 public:
  explicit CountingBloomFilter(std::int64_t entries = 0, double error = 0.001);
  std::uint32_t estimate(std::uint64_t key) const;
  void add(std::uint64_t key);
  void decay();
  int hashes() const { return hashes_; }
  std::size_t counters() const { return counters_.size(); }

 private:
  int hashes_ = 0;
  std::vector<std::uint32_t> counters_;
};

}  // namespace loadlab
