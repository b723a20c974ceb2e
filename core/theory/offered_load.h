#pragma once
// How much traffic the modelled cluster can serve, and how hard the scenario pushes it — said
// before a run starts, so a user who asks for more than the nodes can do is told at once
// instead of watching a backlog grow for minutes (issue 21).
//
// A node with `slots` servers, speed v and mean service time E[S] (hits and misses mixed by
// its cache's predicted hit ratio, scaled by 1/v) serves at most slots / E[S] requests per
// second. The cluster's capacity depends on how the balancer splits the load:
// - fixed shares (round robin, weighted, random, hashing: SharePrediction has a closed form):
//   the cluster saturates when its most loaded node does, at min_i capacity_i / share_i;
// - adaptive policies (least connections, power of two choices, peak EWMA, ...) send work to
//   whoever has room, so the capacity is the sum of the nodes' capacities.
// The hit ratio is Che's LRU approximation for any cache policy (an estimate: the other
// policies differ by a few percent), 0 without a cache or for key spaces too large to sum.
// Writes are counted like reads (a replicated write costs each replica once more: this
// estimate is then optimistic).
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace loadlab {

struct OfferedLoad {
  bool applicable = false;   // open loop only: a closed loop cannot offer more than it gets back
  std::string why_not;       // when not applicable, in a phrase
  bool shares_fixed = true;  // false for adaptive balancers (capacity = sum over nodes)
  double offered_rps = 0;    // the scenario's rate (its peak, with a rate schedule)
  double capacity_rps = 0;   // the most the cluster can serve at the balancer's split
  double rho = 0;            // offered_rps / capacity_rps; > 1 means overloaded
  std::vector<double> node_capacity_rps;
  std::vector<double> node_rho;  // each node's utilisation at the predicted split
  bool overloaded() const { return applicable && rho > 1.0; }
};

OfferedLoad predict_offered_load(const Scenario& scenario);

}  // namespace loadlab
