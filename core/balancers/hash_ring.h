#pragma once
// The consistent-hashing ring shared by `ring-hash` and `bounded-load` (Karger et al. 1997).
// Node i places round(w_i · vnodes) points (at least one) at hash(i, r), r = 0, 1, ...; a key
// belongs to the first point at or after hash(key), wrapping around. A node's points depend
// only on its own index and weight, so when a node leaves only the keys on its arcs move.
//
// Finding that point: a direct-indexed table in front of the sorted points, one entry per
// range of hashes sharing their top bits (at least as many entries as points), holding the
// first point at or after the range's start, its node, and whether any point falls inside the
// range. A lookup is one table load; only when the range has points and the key's hash lies
// past the first of them does it step along the points (rarely more than one step) — the same
// answer as a binary search over them, without its ~log2 P cache misses.
#include <cstdint>
#include <span>
#include <vector>

#include "base/hash.h"

namespace loadlab {

class HashRing {
 public:
  // Rebuilds the ring and its table; O(P log P) for P points. Weights <= 0 place no points.
  void build(std::span<const double> weights, unsigned vnodes);
  bool empty() const { return points_.empty(); }
  std::size_t size() const { return points_.size(); }
  // The first point at or after the key's hash (wrapping) and its node; O(1) expected.
  struct Spot {
    std::size_t position, node;
  };
  Spot locate(std::uint64_t key) const {
    const std::uint64_t h = mix64(key);
    const Range range = table_[h >> shift_];
    std::size_t p = range.first & kFirstPoint;
    const bool inside = range.first & kPointsInside;
    if (points_.size() <= kCachedPoints) {
      // A ring this small stays in cache, so read the first point's hash even when no point
      // is inside: one branch, taken only when the key lies past that point (a fifth of
      // lookups), where branching on `inside` first would be a coin flip.
      if (!(inside & (points_[p].hash < h))) return {p, range.node};
    } else if (!inside || points_[p].hash >= h) {
      return {p, range.node};  // a large ring: the extra read would be a trip to memory
    }
    do ++p;
    while (p < points_.size() && points_[p].hash < h);
    if (p == points_.size()) p = 0;
    return {p, points_[p].node};
  }
  std::size_t position(std::uint64_t key) const { return locate(key).position; }
  std::size_t node_at(std::size_t position) const { return points_[position].node; }
  std::size_t next(std::size_t position) const { return position + 1 == points_.size() ? 0 : position + 1; }

 private:
  static constexpr std::uint32_t kPointsInside = 1U << 31;
  static constexpr std::uint32_t kFirstPoint = kPointsInside - 1;
  static constexpr std::size_t kCachedPoints = std::size_t{1} << 16;  // 1 MiB of points

  // Sorted by hash. Hash and node side by side: past the table, a lookup's compare and the
  // walk along the ring read the same cache line.
  struct Point {
    std::uint64_t hash;
    std::uint32_t node;
  };
  std::vector<Point> points_;
  struct Range {
    std::uint32_t first;  // first point at or after the range's start (wrapped), | kPointsInside
    std::uint32_t node;   // its node
  };
  std::vector<Range> table_;  // by the hash's top bits
  unsigned shift_ = 63;       // 64 − log2(table size)
};

}  // namespace loadlab
