#pragma once
// What theory predicts, to draw beside what was measured.
#include <span>
#include <vector>

#include "balancer.h"

namespace loadlab {

// Expected share of requests per node: T_i / T = w_i / Σw for weighted policies, 1/n over
// the nodes with weight > 0 for equal ones, NaN where the share depends on load or keys.
std::vector<double> expected_shares(ShareModel model, std::span<const double> weights);

}  // namespace loadlab
