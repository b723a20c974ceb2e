#pragma once
#include <vector>

#include "balancers/balancer.h"

namespace loadlab {

// `key-hash`: hash(key) mod n over the nodes in rotation — the naive placement. Even and
// O(1), but when n changes almost every key moves (a fraction 1 − 1/n of them), which is
// what consistent hashing (ring-hash, maglev) was invented to avoid. Weights other than 0
// are ignored.
class KeyHash final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return false; }
  bool key_affine() const override { return true; }

 private:
  std::vector<std::size_t> eligible_;
};

}  // namespace loadlab
