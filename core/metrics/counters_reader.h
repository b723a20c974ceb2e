#pragma once
// The one reader of node counters: the interval snapshots and the end-of-run report are both
// built here, from the same counters, whichever driver ran the model.
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/node_counters.h"
#include "metrics/run_report.h"
#include "metrics/snapshot.h"

namespace loadlab {

// What the run knows about a node besides its counters, at the moment of reading.
struct NodeState {
  const NodeCounters* counters = nullptr;
  double weight = 0;          // configured
  double expected_share = 0;  // what theory predicts under the current weights and health
  bool up = true;             // the truth
  bool available = true;      // what health checking believes
  NodeHealth health = NodeHealth::up;
};

// Cluster-wide counts that live outside the nodes, published by the dispatcher.
struct ClusterCounts {
  std::uint64_t issued = 0;  // by the dispatcher (requests that found no node included)
  std::uint64_t no_node = 0;
  std::uint64_t concurrency_limited = 0;  // blocked by the adaptive concurrency limiter
  std::uint32_t concurrency_limit = 0;    // its limit now; 0: no limiter
  std::uint64_t writes = 0;               // writes issued (each sent to R replicas)
  std::uint64_t retries = 0;
  std::uint64_t peak_in_flight = 0;
  bool panic = false;                 // health checking is in panic now (model/health_monitor.h)
  std::int64_t panic_ns = 0;          // time spent in panic so far
  std::uint64_t issued_in_panic = 0;  // requests issued while in panic
};

class SnapshotBuilder {
 public:
  // `deadline_ms`: infinite when the scenario has none (goodput figures are NaN then).
  explicit SnapshotBuilder(std::size_t nodes, double deadline_ms = std::numeric_limits<double>::infinity());
  // Figures since the previous call, and cumulative ones. `cluster` is read after the nodes'
  // counters (a request seen completed must also be seen issued). `honours_weights` judges
  // imbalance per unit of weight.
  Snapshot take(std::int64_t now_ns, bool final, std::span<const NodeState> nodes,
                const std::function<ClusterCounts()>& cluster, double target_rate, bool honours_weights);

 private:
  std::vector<Histogram> previous_;  // each node's cumulative latency at the last snapshot
  Histogram interval_, merged_;
  std::vector<NodeSample> previous_samples_;
  std::int64_t previous_ns_ = 0;
  bool has_deadline_;
};

// What the report says of the run itself.
struct ReportContext {
  std::string scenario, balancer, cache_policy, placement;
  std::uint64_t seed = 0;
  double deadline_ms = std::numeric_limits<double>::infinity();  // the scenario's; infinite: none
  std::vector<std::string> names;
  std::vector<std::uint64_t> partitions_held;  // empty without partitioning
  std::vector<double> key_share_held;
  double target_rate = 0;
  bool stopped_early = false;
  bool honours_weights = false;
};

// The counters at the end of a warm-up: the report subtracts them, so its figures are of
// what happened after. A request in flight at that moment is counted as issued after it
// (issued = completed + failed + in flight still holds for the measured window).
struct CountersBaseline {
  std::int64_t at_ns = 0;
  struct Node {
    std::uint64_t completed = 0, writes_completed = 0, failed_cancelled = 0, writes_failed_cancelled = 0;
    std::uint64_t writes_failed_quorum = 0, failed_down = 0, hits = 0, misses = 0, latency_sum_ns = 0;
    std::uint64_t failed_queue_full = 0, failed_queue_timeout = 0, failed_codel_drop = 0, within_deadline = 0;
    std::uint64_t failed_overflow = 0;
    Histogram latency;
  };
  std::vector<Node> nodes;
  ClusterCounts cluster;
  std::uint64_t finished = 0;  // completed + failed for good, whole cluster
};

CountersBaseline capture_baseline(std::int64_t now_ns, std::span<const NodeState> nodes, const ClusterCounts& cluster);

// With a baseline, every figure is of the time after it and elapsed_ns still counts from the
// start of the run (the report's elapsed_s is the measured window).
RunReport build_report(const ReportContext& context, std::int64_t elapsed_ns, std::span<const NodeState> nodes,
                       const ClusterCounts& cluster, const CountersBaseline* baseline = nullptr);

}  // namespace loadlab
