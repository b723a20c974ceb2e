#pragma once
// The consistent-hashing ring shared by `ring-hash` and `bounded-load` (Karger et al. 1997).
// Node i places round(w_i · vnodes) points (at least one) at hash(i, r), r = 0, 1, ...; a key
// belongs to the first point at or after hash(key), wrapping around. A node's points depend
// only on its own index and weight, so when a node leaves only the keys on its arcs move.
#include <cstdint>
#include <span>
#include <vector>

namespace loadlab {

class HashRing {
 public:
  // Rebuilds the ring; O(P log P) for P points. Weights <= 0 place no points.
  void build(std::span<const double> weights, unsigned vnodes);
  bool empty() const { return hashes_.empty(); }
  std::size_t size() const { return hashes_.size(); }
  // Position of the first point at or after the key's hash (wrapping); O(log P).
  std::size_t position(std::uint64_t key) const;
  std::size_t node_at(std::size_t position) const { return nodes_[position]; }
  std::size_t next(std::size_t position) const { return position + 1 == hashes_.size() ? 0 : position + 1; }

 private:
  std::vector<std::uint64_t> hashes_;  // sorted; a separate array keeps the binary search in cache
  std::vector<std::uint32_t> nodes_;   // node owning each point
};

}  // namespace loadlab
