#include "model/health_monitor.h"

#include <limits>

namespace loadlab {
namespace {
constexpr std::int64_t kRampRefreshNs = 50'000'000;  // slow start: weights refreshed every 50 ms
}

HealthMonitor::HealthMonitor(const HealthCheckConfig& config, std::vector<double> configured)
    : tracker_(config, configured.size()),
      configured_(std::move(configured)),
      effective_(configured_.size()),
      seen_failed_(configured_.size(), 0),
      seen_completed_(configured_.size(), 0),
      available_(std::make_unique<std::atomic<bool>[]>(configured_.size())),
      in_rotation_(std::make_unique<std::atomic<bool>[]>(configured_.size())),
      state_(std::make_unique<std::atomic<NodeHealth>[]>(configured_.size())) {
  for (std::size_t i = 0; i < configured_.size(); ++i) {
    available_[i].store(true);
    in_rotation_[i].store(configured_[i] > 0);
    state_[i].store(NodeHealth::up);
  }
}

void HealthMonitor::apply(std::int64_t now_ns) {
  const std::size_t n = configured_.size();
  std::size_t in_service = 0, healthy = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (configured_[i] > 0) {
      ++in_service;
      healthy += tracker_.available(i);
    }
  const double threshold = tracker_.config().panic_threshold;
  const bool panic = threshold > 0 && in_service > 0 &&
                     100.0 * static_cast<double>(healthy) / static_cast<double>(in_service) < threshold;
  for (std::size_t i = 0; i < n; ++i) {
    // In panic a node marked down is picked at its configured weight; one that is available
    // keeps its slow start.
    const double factor = panic && !tracker_.available(i) ? 1.0 : tracker_.weight_factor(i, now_ns);
    effective_[i] = configured_[i] * factor;
    in_rotation_[i].store(effective_[i] > 0, std::memory_order_release);
  }
  const std::int64_t since = panic_since_.load(std::memory_order_relaxed);
  if (panic && since < 0) {
    panic_since_.store(now_ns, std::memory_order_release);
    panic_episodes_.fetch_add(1, std::memory_order_relaxed);
  } else if (!panic && since >= 0) {
    // The total first: a reader that sees the episode closed also sees it counted.
    panic_total_ns_.fetch_add(now_ns - since, std::memory_order_release);
    panic_since_.store(-1, std::memory_order_release);
  }
  publish(now_ns);
}

void HealthMonitor::publish(std::int64_t now_ns) {
  for (std::size_t i = 0; i < configured_.size(); ++i) {
    available_[i].store(tracker_.available(i), std::memory_order_release);
    NodeHealth state = NodeHealth::up;
    switch (tracker_.mark(i, now_ns)) {
      case HealthTracker::Mark::up:
        state = tracker_.weight_factor(i, now_ns) < 1 ? NodeHealth::ramping : NodeHealth::up;
        break;
      case HealthTracker::Mark::passive:
        state = NodeHealth::passive;
        break;
      case HealthTracker::Mark::outlier:
        state = NodeHealth::outlier;
        break;
      case HealthTracker::Mark::probing:
        state = NodeHealth::probing;
        break;
    }
    state_[i].store(state, std::memory_order_release);
  }
}

std::int64_t HealthMonitor::panic_ns(std::int64_t now_ns) const {
  const std::int64_t since = panic_since_.load(std::memory_order_acquire);
  const std::int64_t total = panic_total_ns_.load(std::memory_order_acquire);
  return total + (since >= 0 && now_ns > since ? now_ns - since : 0);
}

void HealthMonitor::set_configured(const std::vector<double>& weights, std::int64_t now_ns) {
  configured_ = weights;
  apply(now_ns);
}

bool HealthMonitor::step(std::int64_t now, std::span<const NodeCounters* const> counters,
                         const std::function<bool(std::size_t)>& up) {
  const std::size_t n = configured_.size();
  bool changed = false;
  for (std::size_t i = 0; i < n; ++i) {
    const NodeCounters& c = *counters[i];
    const std::uint64_t failed =
        c.failed_down.load(std::memory_order_acquire) + c.retried_out.load(std::memory_order_acquire);
    const std::uint64_t completed = c.completed.load(std::memory_order_acquire);
    changed = tracker_.observe(i, failed - seen_failed_[i], completed - seen_completed_[i], now) || changed;
    seen_failed_[i] = failed;
    seen_completed_[i] = completed;
  }
  if (tracker_.probe_due(now))
    for (std::size_t i = 0; i < n; ++i) changed = tracker_.probe(i, up(i), now) || changed;
  changed = tracker_.expire(now) || changed;
  if (changed && tracker_.config().max_fails > 0) {
    // nginx: no node in service left to try, so every node's failures are forgotten.
    bool any_available = false, any_in_service = false;
    for (std::size_t i = 0; i < n && !any_available; ++i)
      if (configured_[i] > 0) any_in_service = true, any_available = tracker_.available(i);
    if (any_in_service && !any_available) tracker_.reset_passive_marks(now);
  }
  if (!changed && tracker_.ramping(now) && now - last_ramp_ns_ > kRampRefreshNs) changed = true;
  if (changed) {
    last_ramp_ns_ = now;
    apply(now);
  }
  return changed;
}

std::int64_t HealthMonitor::next_ramp_ns(std::int64_t now_ns) const {
  return tracker_.ramping(now_ns) ? last_ramp_ns_ + kRampRefreshNs + 1 : std::numeric_limits<std::int64_t>::max();
}

}  // namespace loadlab
