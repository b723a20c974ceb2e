#pragma once
// The balancers users can name (CLI, scenario files, GUI).
#include <cstdint>

#include "balancers/balancer.h"
#include "balancers/balancer_params.h"
#include "base/registry.h"

namespace loadlab {

struct BalancerOptions {
  std::uint64_t seed = 1;  // for randomized policies
  BalancerParams params;
};

using BalancerRegistry = Registry<Balancer, BalancerOptions>;
const BalancerRegistry& balancers();

}  // namespace loadlab
