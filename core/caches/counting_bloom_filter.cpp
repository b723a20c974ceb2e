#include "caches/counting_bloom_filter.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "caches/xxh64.h"

namespace loadlab {

namespace {
constexpr std::uint64_t kSeed0 = 0x12345678, kSeed1 = 0x12344321;  // libCacheSim's HASH_SEED0/1
}

CountingBloomFilter::CountingBloomFilter(std::int64_t entries, double error) {
  // libCacheSim's arithmetic, constants included, so the sizes agree to the counter.
  const double bits_per_entry = -std::log(error) / 0.480453013918201;  // ln(2)^2
  hashes_ = static_cast<int>(std::ceil(0.693147180559945 * bits_per_entry));
  // entries is an int there.
  const double wanted = std::ceil(bits_per_entry * static_cast<double>(static_cast<int>(entries)));
  int n = static_cast<int>(std::fmin(wanted, static_cast<double>(INT_MAX)));
  if (n < hashes_) n = hashes_ * 2;
  counters_.assign(static_cast<std::size_t>(n), 0);
}

std::uint32_t CountingBloomFilter::estimate(std::uint64_t key) const {
  const auto a = static_cast<std::uint32_t>(xxh64_of_u64(key, kSeed0));
  const auto b = static_cast<std::uint32_t>(xxh64_of_u64(key, kSeed1));
  const auto n = static_cast<std::uint32_t>(counters_.size());
  std::uint32_t least = UINT_MAX;
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(hashes_); ++i)
    least = std::min(least, counters_[(a + i * b) % n]);
  return least;
}

void CountingBloomFilter::add(std::uint64_t key) {
  // libCacheSim increments only when the least counter is below UINT_MAX.
  if (estimate(key) == UINT_MAX) return;
  const auto a = static_cast<std::uint32_t>(xxh64_of_u64(key, kSeed0));
  const auto b = static_cast<std::uint32_t>(xxh64_of_u64(key, kSeed1));
  const auto n = static_cast<std::uint32_t>(counters_.size());
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(hashes_); ++i) ++counters_[(a + i * b) % n];
}

void CountingBloomFilter::decay() {
  for (std::uint32_t& c : counters_) c >>= 1;
}

}  // namespace loadlab
