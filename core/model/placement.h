#pragma once
// Data placement: which nodes hold which keys. Keys fall into partitions by `hash`
// (hash(key) mod P), `range` (key ranks split into P contiguous ranges, so under Zipf the
// first range is the hot one) or `ring` (consistent hashing of partitions onto a ring of
// nodes); each partition lives on R nodes, its replicas. A read may be served by any replica
// (the balancer picks among them); a write goes to all of them.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace loadlab {

struct Partitioning {
  enum class Kind { none, hash, range, ring };
  Kind kind = Kind::none;
  unsigned partitions = 0;    // 0: 8 per node (hash, range) or 1024 (ring)
  unsigned replication = 1;   // R
  unsigned write_quorum = 0;  // W: acknowledgements a write needs; 0: all R
};

inline constexpr std::size_t kMaxPartitionedNodes = 256;  // one balancer per replica set

class Placement {
 public:
  Placement(const Partitioning& p, std::size_t nodes, std::uint64_t keys);
  std::uint32_t partition_of(std::uint64_t key) const;
  std::span<const std::uint32_t> replicas(std::uint32_t partition) const {
    return {replicas_.data() + partition * replication_, replication_};
  }
  // Partitions with the same replicas share a replica set (and a balancer).
  std::uint32_t replica_set(std::uint32_t partition) const { return set_of_[partition]; }
  std::size_t replica_set_count() const { return sets_.size(); }
  std::span<const std::uint32_t> set_members(std::uint32_t set) const { return {sets_[set].data(), sets_[set].size()}; }
  bool holds(std::uint32_t node, std::uint32_t partition) const;
  std::uint32_t partition_count() const { return partitions_; }
  std::size_t replication() const { return replication_; }

 private:
  Partitioning::Kind kind_;
  std::uint32_t partitions_;
  std::size_t replication_;
  std::uint64_t keys_;
  std::vector<std::uint32_t> replicas_;  // partitions_ × replication_
  std::vector<std::uint32_t> set_of_;
  std::vector<std::vector<std::uint32_t>> sets_;
};

std::string to_string(Partitioning::Kind kind);

}  // namespace loadlab
