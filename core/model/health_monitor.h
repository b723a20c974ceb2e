#pragma once
// Health checking and slow start applied to a cluster: reads each node's failures and
// successes from its counters, probes, and turns the configured weights into the effective
// ones the balancer sees (0 for a node marked down, a fraction while it ramps up).
//
// Two rules look at the cluster as a whole, as the products they come from do:
// - nginx: when no node in service (configured weight > 0) is available, the passive marks
//   are reset and every node is tried again.
// - Envoy's panic threshold: when fewer than `panic_threshold` percent of the nodes in service
//   are available (strictly fewer, counted in nodes, not weights), the balancer sees every
//   node in service at its configured weight, healthy or not — a cluster that is mostly
//   marked down is more likely wrong about its health than mostly dead, and piling all the
//   load on the few left would take them down too. The time spent in panic is counted.
//
// Threading: step() and set_configured() run on one thread (the real engine's dispatcher, or
// the simulator); available() and in_rotation() may be read from any thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "metrics/node_counters.h"
#include "metrics/snapshot.h"
#include "model/health.h"

namespace loadlab {

class HealthMonitor {
 public:
  HealthMonitor(const HealthCheckConfig& config, std::vector<double> configured);

  // One pass at `now_ns`: counter deltas, a probe round if due (`up(i)` answers for node i),
  // expiry of timeouts and ejections. True when the effective weights changed.
  bool step(std::int64_t now_ns, std::span<const NodeCounters* const> counters,
            const std::function<bool(std::size_t)>& up);
  // Live weight change: recomputes the effective weights at `now_ns`.
  void set_configured(const std::vector<double>& weights, std::int64_t now_ns);
  const std::vector<double>& effective() const { return effective_; }
  // When slow start next needs the weights refreshed; max() when no node is ramping.
  std::int64_t next_ramp_ns(std::int64_t now_ns) const;

  bool available(std::size_t node) const { return available_[node].load(std::memory_order_acquire); }
  NodeHealth state(std::size_t node) const { return state_[node].load(std::memory_order_acquire); }
  // Whether the cluster is in panic now, and how long it has been in panic in all (up to
  // `now_ns` when it still is).
  bool panic() const { return panic_since_.load(std::memory_order_acquire) >= 0; }
  std::int64_t panic_ns(std::int64_t now_ns) const;
  std::uint64_t panic_episodes() const { return panic_episodes_.load(std::memory_order_relaxed); }
  bool in_rotation(std::size_t node) const { return in_rotation_[node].load(std::memory_order_acquire); }
  // When the next active probe round is due (max() without active checks).
  std::int64_t next_probe_ns() const { return tracker_.next_probe_ns(); }

 private:
  void apply(std::int64_t now_ns);
  void publish(std::int64_t now_ns);  // the per-node flags and states other threads read

  HealthTracker tracker_;
  std::vector<double> configured_, effective_;
  std::vector<std::uint64_t> seen_failed_, seen_completed_;
  std::int64_t last_ramp_ns_ = 0;
  std::unique_ptr<std::atomic<bool>[]> available_, in_rotation_;
  std::unique_ptr<std::atomic<NodeHealth>[]> state_;
  std::atomic<std::int64_t> panic_since_{-1}, panic_total_ns_{0};
  std::atomic<std::uint64_t> panic_episodes_{0};
};

}  // namespace loadlab
