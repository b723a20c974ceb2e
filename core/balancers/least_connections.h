#pragma once
#include <cstdint>
#include <vector>

#include "balancers/balancer.h"
#include "balancers/min_tree.h"

namespace loadlab {

// `least-connections`: the node with the fewest requests in flight per unit of weight
// (in_flight / w, as nginx's `least_conn` and HAProxy's `leastconn` weigh it). Ties go
// round robin: the scan starts just after the previous pick, and the first of the tied
// nodes in that order wins, so idle equal nodes share evenly instead of node 0 taking all.
//
// O(n) per pick with a view that does not report load changes (nginx's scan). With one that
// does (balancer.h), each node's in_flight / w sits in a MinTree, refreshed for the reported
// nodes only: the least value is at the root and the first node holding it at or after the
// cursor is found in O(log n) — the same node the scan would choose, since the scan's winner
// is exactly the first node in its order whose value equals the minimum.
class LeastConnections final : public Balancer {
 public:
  void set_weights(std::span<const double> weights) override;
  std::size_t pick(const PickContext& context) override;
  ShareModel share_model() const override { return ShareModel::other; }
  bool honours_weights() const override { return true; }
  void on_load_changed(std::size_t node) override;

 private:
  std::size_t scan(const LoadView* load) const;
  double load(std::size_t node, const LoadView& view) const {
    return static_cast<double>(view.in_flight(node)) / weight_[node];
  }
  void refill(const LoadView& view);
  void apply_changes(const LoadView& view);
  std::size_t advance(std::size_t best);

  std::vector<double> weight_;
  std::size_t eligible_ = 0;
  std::size_t cursor_ = 0;

  // Load tracking: the view the tree was filled from (null: not tracking), and the nodes
  // reported since the last pick. More reports than nodes between two picks (duplicates are
  // not weeded out) refill the tree from the view instead.
  const LoadView* tracked_ = nullptr;
  MinTree tree_;
  std::vector<std::uint32_t> changed_;  // n slots
  std::size_t changes_ = 0;
  bool overflowed_ = false;
};

}  // namespace loadlab
