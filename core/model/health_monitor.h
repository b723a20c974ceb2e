#pragma once
// Health checking and slow start applied to a cluster: reads each node's failures and
// successes from its counters, probes, and turns the configured weights into the effective
// ones the balancer sees (0 for a node marked down, a fraction while it ramps up).
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
  bool in_rotation(std::size_t node) const { return in_rotation_[node].load(std::memory_order_acquire); }
  // When the next active probe round is due (max() without active checks).
  std::int64_t next_probe_ns() const { return tracker_.next_probe_ns(); }

 private:
  void apply(std::int64_t now_ns);

  HealthTracker tracker_;
  std::vector<double> configured_, effective_;
  std::vector<std::uint64_t> seen_failed_, seen_completed_;
  std::int64_t last_ramp_ns_ = 0;
  std::unique_ptr<std::atomic<bool>[]> available_, in_rotation_;
};

}  // namespace loadlab
