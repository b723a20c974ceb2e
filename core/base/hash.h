#pragma once
// 64-bit mixing for the hashing balancers. Keys in LoadLab are small integers (popularity
// ranks), so a strong finalizer is what spreads them over a ring or a table; the same
// function on every platform keeps placements reproducible.
#include <cstdint>

namespace loadlab {

// The MurmurHash3 64-bit finalizer (fmix64): every input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

// Hash of a pair, e.g. (node, virtual node index) or (key, seed).
constexpr std::uint64_t mix64(std::uint64_t a, std::uint64_t b) {
  return mix64(a * 0x9E3779B97F4A7C15ULL + mix64(b + 0x632BE59BD9B4E019ULL));
}

}  // namespace loadlab
