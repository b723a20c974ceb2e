#include "model/placement.h"

#include <algorithm>
#include <map>
#include <string>

#include "balancers/hash_ring.h"
#include "base/hash.h"
#include "base/random.h"

namespace loadlab {

std::string to_string(Partitioning::Kind kind) {
  switch (kind) {
    case Partitioning::Kind::none:
      return "none";
    case Partitioning::Kind::hash:
      return "hash";
    case Partitioning::Kind::range:
      return "range";
    case Partitioning::Kind::ring:
      return "ring";
  }
  return "?";
}

Placement::Placement(const Partitioning& p, std::size_t nodes, std::uint64_t keys)
    : kind_(p.kind), replication_(std::clamp<std::size_t>(p.replication, 1, nodes)), keys_(keys) {
  partitions_ =
      p.partitions ? p.partitions : static_cast<std::uint32_t>(p.kind == Partitioning::Kind::ring ? 1024 : 8 * nodes);
  replicas_.resize(static_cast<std::size_t>(partitions_) * replication_);
  if (kind_ == Partitioning::Kind::ring) {
    // Each partition's replicas: the first R distinct nodes clockwise from its hash.
    HashRing ring;
    ring.build(std::vector<double>(nodes, 1.0), 100);
    for (std::uint32_t q = 0; q < partitions_; ++q) {
      std::size_t pos = ring.position(mix64(q, 0x7061727469ULL));
      std::size_t found = 0;
      for (std::size_t steps = 0; found < replication_ && steps < ring.size(); ++steps, pos = ring.next(pos)) {
        const auto node = static_cast<std::uint32_t>(ring.node_at(pos));
        auto begin = replicas_.begin() + static_cast<std::ptrdiff_t>(q * replication_);
        if (std::find(begin, begin + static_cast<std::ptrdiff_t>(found), node) ==
            begin + static_cast<std::ptrdiff_t>(found))
          replicas_[q * replication_ + found++] = node;
      }
    }
  } else {
    // Chained placement: partition q's primary is node q mod n, its copies the next nodes.
    for (std::uint32_t q = 0; q < partitions_; ++q)
      for (std::size_t j = 0; j < replication_; ++j)
        replicas_[q * replication_ + j] = static_cast<std::uint32_t>((q + j) % nodes);
  }
  std::map<std::vector<std::uint32_t>, std::uint32_t> ids;
  set_of_.resize(partitions_);
  for (std::uint32_t q = 0; q < partitions_; ++q) {
    std::vector<std::uint32_t> members(replicas(q).begin(), replicas(q).end());
    std::sort(members.begin(), members.end());
    auto [it, inserted] = ids.try_emplace(members, static_cast<std::uint32_t>(sets_.size()));
    if (inserted) sets_.push_back(members);
    set_of_[q] = it->second;
  }
}

std::uint32_t Placement::partition_of(std::uint64_t key) const {
  if (kind_ == Partitioning::Kind::range) {
    const std::uint64_t k = std::min(key, keys_ - 1);
    return static_cast<std::uint32_t>(static_cast<uint128_t>(k) * partitions_ / keys_);
  }
  return static_cast<std::uint32_t>(mix64(key, 0x6B6579ULL) % partitions_);
}

bool Placement::holds(std::uint32_t node, std::uint32_t partition) const {
  const auto r = replicas(partition);
  return std::find(r.begin(), r.end(), node) != r.end();
}

}  // namespace loadlab
