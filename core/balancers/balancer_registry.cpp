#include "balancers/balancer_registry.h"

#include "balancers/bounded_load.h"
#include "balancers/key_hash.h"
#include "balancers/least_connections.h"
#include "balancers/maglev.h"
#include "balancers/peak_ewma.h"
#include "balancers/power_of_two_choices.h"
#include "balancers/random_choice.h"
#include "balancers/ring_hash.h"
#include "balancers/round_robin.h"
#include "balancers/smooth_weighted_round_robin.h"
#include "balancers/weighted_random.h"

namespace loadlab {

const BalancerRegistry& balancers() {
  static const BalancerRegistry registry(
      "balancer",
      {
          {"round-robin", "each node in turn; weights ignored except that 0 removes a node",
           [](const BalancerOptions&) { return std::make_unique<RoundRobin>(); }},
          {"random", "a node chosen uniformly at random",
           [](const BalancerOptions& o) { return std::make_unique<RandomChoice>(o.seed); }},
          {"weighted-round-robin", "nginx's smooth weighted round robin: share w_i/Σw, turns spread out",
           [](const BalancerOptions&) { return std::make_unique<SmoothWeightedRoundRobin>(); }},
          {"weighted-random", "a node chosen at random with probability w_i/Σw",
           [](const BalancerOptions& o) { return std::make_unique<WeightedRandom>(o.seed); }},
          {"least-connections", "fewest requests in flight per unit of weight; ties in turn (nginx least_conn)",
           [](const BalancerOptions&) { return std::make_unique<LeastConnections>(); }},
          {"p2c", "power of two choices: the less busy of 2 random nodes (Envoy least request; --choices)",
           [](const BalancerOptions& o) { return std::make_unique<PowerOfTwoChoices>(o.seed, o.params.choices); }},
          {"peak-ewma", "latency-aware: peak EWMA of latency x (in flight + 1), best of 2 (Finagle; --decay-ms)",
           [](const BalancerOptions& o) { return std::make_unique<PeakEwma>(o.seed, o.params.decay_ms); }},
          {"ring-hash", "consistent hashing of the key on a ring of virtual nodes (Envoy ring hash; --vnodes)",
           [](const BalancerOptions& o) { return std::make_unique<RingHash>(o.params.vnodes); }},
          {"maglev", "Google's Maglev lookup table, O(1) consistent hashing (--table-size, prime)",
           [](const BalancerOptions& o) { return std::make_unique<Maglev>(o.params.table_size); }},
          {"bounded-load", "consistent hashing with bounded loads: no node above c x mean (--balance-factor)",
           [](const BalancerOptions& o) {
             return std::make_unique<BoundedLoad>(o.params.vnodes, o.params.balance_factor);
           }},
          {"key-hash", "hash(key) mod n: even, but nearly every key moves when n changes",
           [](const BalancerOptions&) { return std::make_unique<KeyHash>(); }},
      });
  return registry;
}

}  // namespace loadlab
