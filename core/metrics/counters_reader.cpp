#include "metrics/counters_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "metrics/imbalance.h"

namespace loadlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double us(double ns) { return ns / 1000.0; }
double load_per_weight(double requests, double weight, bool honours_weights) {
  return honours_weights ? requests / weight : requests;
}

}  // namespace

SnapshotBuilder::SnapshotBuilder(std::size_t nodes, double deadline_ms)
    : previous_(nodes), previous_samples_(nodes), has_deadline_(!std::isinf(deadline_ms)) {}

Snapshot SnapshotBuilder::take(std::int64_t now, bool final, std::span<const NodeState> nodes,
                               const std::function<ClusterCounts()>& read_cluster, double target_rate,
                               bool honours_weights) {
  Snapshot s;
  s.t_ms = now / 1'000'000;
  s.interval_s = static_cast<double>(now - previous_ns_) / 1e9;
  s.final = final;
  s.target_rate = target_rate;
  merged_.clear();
  s.nodes.resize(nodes.size());
  // Two passes: every node's finished counts first, then every node's arrivals (see
  // node_counters.h). A request that moves between nodes (a retry) is counted in at its new
  // node before it is counted out at the old one, so reading all the "out" side first means
  // no request is ever missing from the snapshot, whichever nodes it moved between.
  struct Finished {
    std::uint64_t reads_completed, cancelled, writes_no_quorum, writes_cancelled, write_copies_done;
  };
  std::vector<Finished> finished(nodes.size());
  std::uint64_t interval_sum_ns = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeCounters& c = *nodes[i].counters;
    NodeSample& n = s.nodes[i];
    Finished& f = finished[i];
    f.reads_completed = c.completed.load(std::memory_order_acquire);
    f.cancelled = c.failed_cancelled.load(std::memory_order_acquire);
    n.failed_down = c.failed_down.load(std::memory_order_acquire);
    n.failed_queue_full = c.failed_queue_full.load(std::memory_order_acquire);
    n.failed_queue_timeout = c.failed_queue_timeout.load(std::memory_order_acquire);
    n.failed_codel_drop = c.failed_codel_drop.load(std::memory_order_acquire);
    n.failed_overflow = c.failed_overflow.load(std::memory_order_acquire);
    n.writes_completed = c.writes_completed.load(std::memory_order_acquire);
    f.writes_no_quorum = c.writes_failed_quorum.load(std::memory_order_acquire);
    f.writes_cancelled = c.writes_failed_cancelled.load(std::memory_order_acquire);
    f.write_copies_done = c.write_acks.load(std::memory_order_acquire) +
                          c.write_attempts_down.load(std::memory_order_acquire) +
                          c.write_attempts_shed.load(std::memory_order_acquire) +
                          c.write_attempts_cancelled.load(std::memory_order_acquire);
    n.retried_out = c.retried_out.load(std::memory_order_acquire);
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeCounters& c = *nodes[i].counters;
    NodeSample& n = s.nodes[i];
    const Finished& f = finished[i];
    n.hits = c.hits.load(std::memory_order_relaxed);
    n.misses = c.misses.load(std::memory_order_relaxed);
    n.within_deadline = c.within_deadline.load(std::memory_order_relaxed);
    n.queue_length = c.queue_length.load(std::memory_order_relaxed);
    n.in_service = c.in_service.load(std::memory_order_relaxed);
    n.issued = c.issued.load(std::memory_order_acquire);
    n.retried_in = c.retried_in.load(std::memory_order_acquire);
    const std::uint64_t write_copies = c.write_attempts.load(std::memory_order_acquire);
    // A retry counted in here may not yet be counted out at its old node: for that moment it
    // is in flight at both, which the cluster figures below do not double count.
    const std::uint64_t reads_failed = f.cancelled + n.failed_down + n.failed_queue_full + n.failed_queue_timeout +
                                       n.failed_codel_drop + n.failed_overflow;
    n.in_flight =
        n.issued + n.retried_in + write_copies - f.reads_completed - reads_failed - n.retried_out - f.write_copies_done;
    n.completed = f.reads_completed + n.writes_completed;  // reads served here, and writes it decided
    // Failed like completed: reads that failed here, and writes it decided that failed (no
    // quorum, cancelled) — the same definition as the summary's per-node `failed`.
    n.writes_failed = f.writes_no_quorum + f.writes_cancelled;
    n.failed = reads_failed + n.writes_failed;
    n.weight = nodes[i].weight;
    n.expected_share = nodes[i].expected_share;
    n.up = nodes[i].up;
    n.available = nodes[i].available;
    n.health = nodes[i].health;
    const NodeSample& prev = previous_samples_[i];
    n.interval_completed = n.completed - prev.completed;
    n.interval_hits = n.hits - prev.hits;
    n.interval_misses = n.misses - prev.misses;
    n.rps = s.interval_s > 0 ? static_cast<double>(n.interval_completed) / s.interval_s : 0.0;
    n.goodput_rps = !has_deadline_     ? kNaN
                    : s.interval_s > 0 ? static_cast<double>(n.within_deadline - prev.within_deadline) / s.interval_s
                                       : 0.0;
    // Sum and histogram are read one after the other without a lock: at the interval's edge
    // the mean may count a request or two in one interval that the histogram puts in the next.
    n.latency_sum_ns = c.latency_sum_ns.load(std::memory_order_relaxed);
    const std::uint64_t interval_sum = n.latency_sum_ns - prev.latency_sum_ns;
    interval_sum_ns += interval_sum;
    // A node that finished nothing since the last snapshot has an empty interval: skip the
    // histogram pass (with many nodes, most of a snapshot's cost).
    const bool idle = interval_sum == 0 && n.completed == prev.completed;
    if (!idle) {
      c.latency.read_interval(previous_[i], interval_);
      merged_.merge(interval_);
    }
    if (!idle && interval_.count() > 0) {
      const auto q = interval_.quantiles({0.5, 0.95, 0.99});
      n.p50_us = us(q[0]), n.p95_us = us(q[1]), n.p99_us = us(q[2]);
      n.mean_us = us(static_cast<double>(interval_sum) / static_cast<double>(interval_.count()));
    } else {
      n.p50_us = n.p95_us = n.p99_us = n.mean_us = kNaN;
    }
    s.completed += n.completed;
    s.failed.cancelled += f.cancelled + f.writes_cancelled;
    s.failed.node_down += n.failed_down;
    s.failed.no_quorum += f.writes_no_quorum;
    s.failed.queue_full += n.failed_queue_full;
    s.failed.queue_timeout += n.failed_queue_timeout;
    s.failed.codel_drop += n.failed_codel_drop;
    s.failed.overflow += n.failed_overflow;
    s.issued += n.issued;
    s.rps += n.rps;
    s.goodput_rps += n.goodput_rps;
  }
  const ClusterCounts cluster = read_cluster();
  s.failed.no_node = cluster.no_node;
  s.failed.concurrency_limited = cluster.concurrency_limited;
  s.concurrency_limit = cluster.concurrency_limit;
  s.issued += s.failed.no_node + s.failed.concurrency_limited + cluster.writes;
  s.retries = cluster.retries;
  s.panic = cluster.panic;
  s.panic_s = static_cast<double>(cluster.panic_ns) / 1e9;
  s.issued_in_panic = cluster.issued_in_panic;
  // Every request issued is completed, failed for good, or in flight (counted once, even
  // while a retry moves between nodes).
  s.in_flight = s.issued - s.completed - s.failed.total();
  std::vector<double> loads;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].weight > 0)
      loads.push_back(
          load_per_weight(static_cast<double>(s.nodes[i].interval_completed), nodes[i].weight, honours_weights));
  s.imbalance = imbalance(loads);
  if (merged_.count() > 0) {
    const auto q = merged_.quantiles({0.5, 0.95, 0.99});
    s.p50_us = us(q[0]), s.p95_us = us(q[1]), s.p99_us = us(q[2]);
    s.mean_us = us(static_cast<double>(interval_sum_ns) / static_cast<double>(merged_.count()));
  } else {
    s.p50_us = s.p95_us = s.p99_us = s.mean_us = kNaN;
  }
  previous_samples_ = s.nodes;
  previous_ns_ = now;
  return s;
}

CountersBaseline capture_baseline(std::int64_t now_ns, std::span<const NodeState> nodes, const ClusterCounts& cluster) {
  CountersBaseline b;
  b.at_ns = now_ns;
  b.nodes.resize(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeCounters& c = *nodes[i].counters;
    CountersBaseline::Node& n = b.nodes[i];
    n.completed = c.completed.load(), n.writes_completed = c.writes_completed.load();
    n.failed_cancelled = c.failed_cancelled.load(), n.writes_failed_cancelled = c.writes_failed_cancelled.load();
    n.writes_failed_quorum = c.writes_failed_quorum.load(), n.failed_down = c.failed_down.load();
    n.hits = c.hits.load(), n.misses = c.misses.load(), n.latency_sum_ns = c.latency_sum_ns.load();
    n.failed_queue_full = c.failed_queue_full.load(), n.failed_queue_timeout = c.failed_queue_timeout.load();
    n.failed_codel_drop = c.failed_codel_drop.load();
    n.failed_overflow = c.failed_overflow.load();
    n.within_deadline = c.within_deadline.load();
    c.latency.read_into(n.latency);
    b.finished += n.completed + n.writes_completed + n.failed_cancelled + n.writes_failed_cancelled +
                  n.writes_failed_quorum + n.failed_down + n.failed_queue_full + n.failed_queue_timeout +
                  n.failed_codel_drop + n.failed_overflow;
  }
  b.cluster = cluster;
  b.finished += cluster.no_node + cluster.concurrency_limited;
  return b;
}

RunReport build_report(const ReportContext& context, std::int64_t elapsed_ns, std::span<const NodeState> nodes,
                       const ClusterCounts& cluster, const CountersBaseline* baseline) {
  if (baseline) elapsed_ns -= baseline->at_ns;
  RunReport r;
  r.scenario = context.scenario;
  r.balancer = context.balancer;
  r.cache_policy = context.cache_policy;
  r.placement = context.placement;
  r.seed = context.seed;
  r.elapsed_s = static_cast<double>(elapsed_ns) / 1e9;
  if (baseline) r.warmup_s = static_cast<double>(baseline->at_ns) / 1e9;
  r.stopped_early = context.stopped_early;
  r.issued = cluster.issued;
  r.failed.no_node = cluster.no_node;
  r.failed.concurrency_limited = cluster.concurrency_limited;
  if (baseline) {
    r.issued = cluster.issued - baseline->finished;
    r.failed.no_node = cluster.no_node - baseline->cluster.no_node;
    r.failed.concurrency_limited = cluster.concurrency_limited - baseline->cluster.concurrency_limited;
    r.retries = cluster.retries - baseline->cluster.retries;
  }
  r.peak_in_flight = cluster.peak_in_flight;
  if (!baseline) r.retries = cluster.retries;
  r.panic_s = static_cast<double>(cluster.panic_ns) / 1e9;
  r.issued_in_panic = cluster.issued_in_panic;
  Histogram all, one;
  std::uint64_t max_ns = 0, sum_ns = 0;
  auto fill_latency = [](NodeSummary& s, const Histogram& h, std::uint64_t sum, std::uint64_t max) {
    if (h.count() == 0) {
      s.mean_us = s.p50_us = s.p95_us = s.p99_us = s.p999_us = s.max_us = kNaN;
      return;
    }
    const auto q = h.quantiles({0.5, 0.95, 0.99, 0.999});
    s.mean_us = us(static_cast<double>(sum) / static_cast<double>(h.count()));
    s.p50_us = us(q[0]), s.p95_us = us(q[1]), s.p99_us = us(q[2]), s.p999_us = us(q[3]);
    s.max_us = us(static_cast<double>(max));
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeCounters& c = *nodes[i].counters;
    NodeSummary s;
    s.name = context.names[i];
    s.weight = nodes[i].weight;
    s.expected_share = nodes[i].expected_share;
    const CountersBaseline::Node empty;
    const CountersBaseline::Node& b = baseline ? baseline->nodes[i] : empty;
    s.requests = c.completed.load() + c.writes_completed.load() - b.completed - b.writes_completed;
    const std::uint64_t cancelled =
        c.failed_cancelled.load() + c.writes_failed_cancelled.load() - b.failed_cancelled - b.writes_failed_cancelled;
    const std::uint64_t no_quorum = c.writes_failed_quorum.load() - b.writes_failed_quorum;
    s.failed_down = c.failed_down.load() - b.failed_down;
    s.failed_queue_full = c.failed_queue_full.load() - b.failed_queue_full;
    s.failed_queue_timeout = c.failed_queue_timeout.load() - b.failed_queue_timeout;
    s.failed_codel_drop = c.failed_codel_drop.load() - b.failed_codel_drop;
    s.failed_overflow = c.failed_overflow.load() - b.failed_overflow;
    s.failed = cancelled + s.failed_down + no_quorum + s.failed_queue_full + s.failed_queue_timeout +
               s.failed_codel_drop + s.failed_overflow;
    s.failed_cancelled = cancelled;
    s.failed_no_quorum = no_quorum;
    s.goodput = c.within_deadline.load() - b.within_deadline;
    s.hits = c.hits.load() - b.hits;
    s.misses = c.misses.load() - b.misses;
    if (!context.partitions_held.empty()) {
      s.partitions = context.partitions_held[i];
      s.key_share = context.key_share_held[i];
    }
    s.hit_ratio = s.hits + s.misses > 0 ? static_cast<double>(s.hits) / static_cast<double>(s.hits + s.misses) : kNaN;
    c.latency.read_into(one);
    std::uint64_t node_max = c.latency_max_ns.load();
    const std::uint64_t node_sum = c.latency_sum_ns.load() - b.latency_sum_ns;
    if (baseline) {
      // The largest latency after the warm-up is known to its histogram bucket (0.4%) only.
      Histogram after;
      after.assign_difference(one, b.latency);
      one = std::move(after);
      node_max = static_cast<std::uint64_t>(one.quantile(1.0));
    }
    fill_latency(s, one, node_sum, node_max);
    all.merge(one);
    max_ns = std::max(max_ns, node_max);
    sum_ns += node_sum;
    r.completed += s.requests;
    r.failed.cancelled += cancelled;
    r.failed.node_down += s.failed_down;
    r.failed.no_quorum += no_quorum;
    r.failed.queue_full += s.failed_queue_full;
    r.failed.queue_timeout += s.failed_queue_timeout;
    r.failed.codel_drop += s.failed_codel_drop;
    r.failed.overflow += s.failed_overflow;
    r.total.hits += s.hits;
    r.total.misses += s.misses;
    r.nodes.push_back(std::move(s));
  }
  // Every request issued is completed or failed for good once the run is over.
  r.in_flight = r.issued - std::min(r.issued, r.completed + r.failed.total());
  for (NodeSummary& s : r.nodes)
    s.share = r.completed > 0 ? static_cast<double>(s.requests) / static_cast<double>(r.completed) : 0.0;
  r.total.name = "total";
  r.total.weight = 0;
  for (const NodeState& n : nodes) r.total.weight += n.weight;
  std::vector<double> loads;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].weight > 0)
      loads.push_back(
          load_per_weight(static_cast<double>(r.nodes[i].requests), nodes[i].weight, context.honours_weights));
  r.imbalance = imbalance(loads);
  r.honours_weights = context.honours_weights;
  r.total.expected_share = nodes.empty() || std::isnan(nodes[0].expected_share) ? kNaN : 1.0;
  r.total.requests = r.completed;
  r.total.share = r.completed > 0 ? 1.0 : 0.0;
  r.total.failed = r.failed.total();
  r.total.failed_down = r.failed.node_down;
  r.total.failed_cancelled = r.failed.cancelled;
  r.total.failed_no_quorum = r.failed.no_quorum;
  r.total.failed_no_node = r.failed.no_node;
  r.total.failed_queue_full = r.failed.queue_full;
  r.total.failed_queue_timeout = r.failed.queue_timeout;
  r.total.failed_codel_drop = r.failed.codel_drop;
  r.total.failed_overflow = r.failed.overflow;
  r.total.failed_concurrency_limited = r.failed.concurrency_limited;
  const std::uint64_t accesses = r.total.hits + r.total.misses;
  r.total.hit_ratio = accesses > 0 ? static_cast<double>(r.total.hits) / static_cast<double>(accesses) : kNaN;
  fill_latency(r.total, all, sum_ns, max_ns);
  r.target_rate = context.target_rate;
  r.achieved_rps = r.elapsed_s > 0 ? static_cast<double>(r.completed) / r.elapsed_s : 0.0;
  r.deadline_ms = context.deadline_ms;
  // Goodput: per second of the measured time, and as a share of what ended there.
  const bool has_deadline = !std::isinf(context.deadline_ms);
  auto fill_goodput = [&](NodeSummary& s, std::uint64_t ended) {
    if (!has_deadline) {
      s.goodput_rps = s.goodput_fraction = kNaN;
      return;
    }
    s.goodput_rps = r.elapsed_s > 0 ? static_cast<double>(s.goodput) / r.elapsed_s : kNaN;
    s.goodput_fraction = ended > 0 ? static_cast<double>(s.goodput) / static_cast<double>(ended) : kNaN;
  };
  for (NodeSummary& s : r.nodes) {
    r.total.goodput += s.goodput;
    fill_goodput(s, s.requests + s.failed);
  }
  fill_goodput(r.total, r.issued);
  return r;
}

}  // namespace loadlab
