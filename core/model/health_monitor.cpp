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
      in_rotation_(std::make_unique<std::atomic<bool>[]>(configured_.size())) {
  for (std::size_t i = 0; i < configured_.size(); ++i) {
    available_[i].store(true);
    in_rotation_[i].store(configured_[i] > 0);
  }
}

void HealthMonitor::apply(std::int64_t now_ns) {
  for (std::size_t i = 0; i < configured_.size(); ++i) {
    effective_[i] = configured_[i] * tracker_.weight_factor(i, now_ns);
    in_rotation_[i].store(effective_[i] > 0, std::memory_order_release);
  }
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
  if (changed)
    for (std::size_t i = 0; i < n; ++i) available_[i].store(tracker_.available(i), std::memory_order_release);
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
