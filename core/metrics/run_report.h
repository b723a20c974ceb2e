#pragma once
// The end-of-run summary: per node and for the whole cluster, as printed by the CLI and
// written to summary.csv.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "metrics/snapshot.h"

namespace loadlab {

struct NodeSummary {
  std::string name;
  double weight = 0;
  double expected_share = 0;      // NaN where the policy has no closed form
  std::uint64_t requests = 0;     // completed
  double share = 0;               // of all completed requests
  std::uint64_t failed = 0;       // all reasons
  std::uint64_t failed_down = 0;  // of which: the node was down
  std::uint64_t failed_cancelled = 0, failed_no_quorum = 0, failed_no_node = 0;  // the other reasons
  std::uint64_t failed_queue_full = 0, failed_queue_timeout = 0;                 // shed by the queue bound
  std::uint64_t failed_codel_drop = 0;                                           // dropped by CoDel
  std::uint64_t failed_overflow = 0;             // turned away by the circuit breakers (model/circuit_breakers.h)
  std::uint64_t failed_concurrency_limited = 0;  // total row: blocked by the adaptive concurrency limiter
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  double hit_ratio = 0;          // NaN when the node saw no request
  std::uint64_t partitions = 0;  // with partitioning: partitions this node holds (as any replica)
  double key_share = std::numeric_limits<double>::quiet_NaN();         // popularity of the keys it holds
  double mean_us = 0, p50_us = 0, p95_us = 0, p99_us = 0, max_us = 0;  // NaN when empty
  double p999_us = 0;                                                  // NaN when empty
  // Goodput (with a deadline; NaN figures without): requests completed within the deadline,
  // as a count, per second of the measured time, and as a fraction of the requests that
  // ended here (completed + failed; for the total row, of every request issued).
  std::uint64_t goodput = 0;
  double goodput_rps = 0, goodput_fraction = 0;
};

struct RunReport {
  std::string scenario;
  std::string balancer;
  std::string cache_policy;
  std::uint64_t seed = 0;
  std::string placement;  // e.g. "hash partitions, R=3, W=2, 20% writes"; empty without partitioning
  std::vector<NodeSummary> nodes;
  NodeSummary total;
  std::uint64_t issued = 0;  // counted by the dispatcher as it issued them
  std::uint64_t completed = 0;
  FailureCounts failed;
  std::uint64_t in_flight = 0;  // 0 once the run is over
  std::uint64_t retries = 0;    // retry attempts on another node, counted apart from requests
  // Envoy's panic threshold (model/health_monitor.h): time the run spent with too few nodes
  // available, picking among all of them, and the requests issued meanwhile.
  double panic_s = 0;
  std::uint64_t issued_in_panic = 0;
  // Most requests outstanding at once, as the dispatcher counted them after each batch (an
  // upper bound on the truth: what it reads as finished may lag). Bounded by the window in
  // max mode and by the clients in closed loop.
  std::uint64_t peak_in_flight = 0;
  double elapsed_s = 0;    // measured: after the warm-up, when there is one
  double warmup_s = 0;     // left out of every figure: the counters were read at its end and subtracted
  double target_rate = 0;  // open loop; 0 otherwise
  double achieved_rps = 0;
  double deadline_ms = std::numeric_limits<double>::infinity();  // what counts as goodput; infinite: none
  bool stopped_early = false;
  Imbalance imbalance;
  bool honours_weights = false;  // whether imbalance is per unit of weight  // of requests per node in rotation (per
                                 // unit of weight for weighted policies)
};

}  // namespace loadlab
