#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "balancers/hash_ring.h"

namespace loadlab {

// `bounded-load`: consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam
// 2018; HAProxy's `hash-balance-factor`, Envoy's `hash_balance_factor`). A node may hold at
// most ⌈c · (m + 1) · w_i / Σw⌉ requests in flight, where m is the total in flight and c the
// balance factor (default 1.25). The key's ring position is tried first; a full node passes
// the request clockwise to the next node that has room. Keys stay put while load is even,
// and no node is ever more than c times the mean: hot keys spill over instead of melting
// one node. O(1) expected to find the position (hash_ring.h's table) plus the nodes skipped.
class BoundedLoad final : public Balancer {
 public:
  BoundedLoad(unsigned vnodes, double balance_factor) : vnodes_(vnodes), factor_(balance_factor) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }

 private:
  unsigned vnodes_;
  double factor_;
  std::vector<double> weights_;
  double total_weight_ = 0;
  HashRing ring_;
};

}  // namespace loadlab
