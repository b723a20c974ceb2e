#pragma once
// XXH64 (Yann Collet's xxHash, 64-bit) of one little-endian 64-bit value: the hash
// libCacheSim's counting Bloom filter applies to an object id (8 bytes) — reproduced so
// `wtinylfu-libcachesim` puts each key's counters where libCacheSim does. Written from the
// xxHash specification (doc/xxhash_spec.md: the path for inputs shorter than 32 bytes).
#include <cstdint>

namespace loadlab {

constexpr std::uint64_t xxh64_of_u64(std::uint64_t value, std::uint64_t seed) {
  constexpr std::uint64_t p1 = 0x9E3779B185EBCA87ULL, p2 = 0xC2B2AE3D27D4EB4FULL, p3 = 0x165667B19E3779F9ULL,
                          p4 = 0x85EBCA77C2B2AE63ULL, p5 = 0x27D4EB2F165667C5ULL;
  auto rotl = [](std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
  std::uint64_t h = seed + p5 + 8;  // + the input length
  const std::uint64_t lane = rotl(value * p2, 31) * p1;
  h ^= lane;
  h = rotl(h, 27) * p1 + p4;
  h ^= h >> 33;  // avalanche
  h *= p2;
  h ^= h >> 29;
  h *= p3;
  h ^= h >> 32;
  return h;
}

}  // namespace loadlab
