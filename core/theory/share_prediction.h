#pragma once
// What each node's share of the requests should be, as theory predicts it for a scenario
// under given weights: w_i / Σw or 1/n by the balancer's share model, the popularity of the
// keys a node owns for hashing policies (computed with a private instance of the balancer),
// and with partitioning the popularity of the keys a node holds. Both drivers, the CLI and
// the window ask this one object.
//
// Threading: shares() may be called from several threads (live weight changes).
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "balancers/balancer.h"
#include "model/placement.h"
#include "scenario/scenario.h"

namespace loadlab {

class SharePrediction {
 public:
  // `placement` (may be null) must outlive this object.
  SharePrediction(const Scenario& scenario, const Placement* placement);
  ~SharePrediction();

  std::vector<double> shares(std::span<const double> weights) const;
  // Shares when only the nodes marked available may be picked (the others get 0);
  // `shares_now` (shares(weights), kept by the caller) when all are. Remembers the last
  // answer: key ownership is costly to recompute.
  std::vector<double> shares_among_available(std::span<const double> weights, const std::vector<bool>& available,
                                             const std::vector<double>& shares_now);

  // With partitioning: partitions each node holds (as any replica), and the popularity of the
  // keys it holds (NaN when the key space is too large to sum). Empty without partitioning.
  const std::vector<std::uint64_t>& partitions_held() const { return partitions_held_; }
  const std::vector<double>& key_share_held() const { return key_share_held_; }

 private:
  const Scenario& scenario_;
  const Placement* placement_;
  ShareModel share_model_ = ShareModel::other;
  std::unique_ptr<Balancer> theory_balancer_;  // key-affine policies only
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> partitions_held_;
  std::vector<double> key_share_held_;
  std::vector<double> masked_weights_, masked_shares_;
};

}  // namespace loadlab
