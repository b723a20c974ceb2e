#include "balancer_registry.h"

#include "balancers/random_choice.h"
#include "balancers/round_robin.h"
#include "balancers/smooth_weighted_round_robin.h"
#include "balancers/weighted_random.h"

namespace loadlab {

const BalancerRegistry& balancers() {
  static const BalancerRegistry registry("balancer", {
      {"round-robin", "each node in turn; weights ignored except that 0 removes a node",
       [](const BalancerOptions&) { return std::make_unique<RoundRobin>(); }},
      {"random", "a node chosen uniformly at random",
       [](const BalancerOptions& o) { return std::make_unique<RandomChoice>(o.seed); }},
      {"weighted-round-robin", "nginx's smooth weighted round robin: share w_i/Σw, turns spread out",
       [](const BalancerOptions&) { return std::make_unique<SmoothWeightedRoundRobin>(); }},
      {"weighted-random", "a node chosen at random with probability w_i/Σw",
       [](const BalancerOptions& o) { return std::make_unique<WeightedRandom>(o.seed); }},
  });
  return registry;
}

}  // namespace loadlab
