#include "balancers/weighted_random.h"

namespace loadlab {

void WeightedRandom::set_weights(std::span<const double> weights) { table_.build(weights); }

std::size_t WeightedRandom::pick(const PickContext&) { return table_.empty() ? kNoNode : table_.draw(rng_); }

}  // namespace loadlab
