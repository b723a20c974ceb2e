#pragma once
// The balancers users can name (CLI, scenario files, GUI).
#include <cstdint>

#include "balancer.h"
#include "balancer_params.h"
#include "registry.h"

namespace loadlab {

struct BalancerOptions {
  std::uint64_t seed = 1;  // for randomized policies
  BalancerParams params;
};

using BalancerRegistry = Registry<Balancer, BalancerOptions>;
const BalancerRegistry& balancers();

}  // namespace loadlab
