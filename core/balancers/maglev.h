#pragma once
#include <cstdint>
#include <vector>

#include "balancers/balancer.h"

namespace loadlab {

// `maglev`: Google's Maglev consistent hashing (Eisenbud et al., NSDI'16), as in Envoy.
// Each node has a permutation of the M table slots (M prime, default 65537):
// offset = h1(node) mod M, skip = h2(node) mod (M − 1) + 1, slot j = (offset + j·skip) mod M.
// Nodes take turns claiming their next still-empty preferred slot until the table is full;
// a key goes to table[hash(key) mod M], O(1) per pick. Weights: in round r node i takes a
// turn only while its turns so far are below r · w_i / w_max, so it ends up with a share of
// the slots proportional to its weight (equal weights give the paper's plain round robin).
// Removing a node moves little more than its own keys; the table is rebuilt only when
// weights change (O(M log M)).
class Maglev final : public Balancer {
 public:
  explicit Maglev(std::uint64_t table_size) : table_size_(table_size) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }
  bool key_affine() const override { return true; }

  const std::vector<std::uint32_t>& table() const { return table_; }

 private:
  std::uint64_t table_size_;
  std::vector<double> weights_;
  std::vector<std::uint32_t> table_;  // empty when no node has weight > 0
};

}  // namespace loadlab
