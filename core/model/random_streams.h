#pragma once
// The random streams of a run, derived from its one seed (base/random.h derive_seed), so each
// consumer draws the same numbers whichever driver runs the model and whatever other
// consumers are added later.
#include <cstdint>

namespace loadlab {

enum RandomStream : std::uint64_t {
  keys_stream = 1,
  arrivals_stream = 2,
  balancer_stream = 3,  // + 1000 + s for the balancer of replica set s
  writes_stream = 4,
  adaptive_concurrency_stream = 5,  // the gradient controller's minRTT jitter
  // The retry router's own balancers, + 1000 + s as above: far from every other stream.
  retry_balancer_stream = std::uint64_t{1} << 40,
  node_stream = 100,  // + i for node i's service times and spikes
};

}  // namespace loadlab
