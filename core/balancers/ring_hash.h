#pragma once
#include <vector>

#include "balancers/balancer.h"
#include "balancers/hash_ring.h"

namespace loadlab {

// `ring-hash`: consistent hashing of the request key (Envoy's RING_HASH, nginx's `hash ...
// consistent`). `vnodes` points per unit of weight; more points spread the key space more
// evenly (spread ∝ 1/√vnodes). O(1) expected per pick through the ring's lookup table
// (hash_ring.h); the ring is rebuilt only when weights change.
class RingHash final : public Balancer {
 public:
  explicit RingHash(unsigned vnodes) : vnodes_(vnodes) {}
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }
  bool key_affine() const override { return true; }

 private:
  unsigned vnodes_;
  std::vector<double> weights_;
  HashRing ring_;
};

}  // namespace loadlab
