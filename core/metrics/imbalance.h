#pragma once
// How unevenly load is spread over the nodes, in the three measures the literature uses.
#include <span>

namespace loadlab {

struct Imbalance {
  double max_mean = 0;  // max / mean: 1 is perfect; the worst node's overload factor
  double cv = 0;        // coefficient of variation, σ / mean (population σ): 0 is perfect
  double jain = 0;      // Jain's fairness index (Σx)² / (n · Σx²): 1 is perfect, 1/n is one node takes all
};

// Over the given loads (one per node in rotation). All NaN when there are none or all are 0.
// Weighted policies pass load per unit of weight (requests_i / w_i), so that a node with
// twice the weight carrying twice the requests counts as balanced.
Imbalance imbalance(std::span<const double> loads);

}  // namespace loadlab
