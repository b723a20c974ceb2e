#include "model/health.h"

#include <algorithm>

namespace loadlab {

namespace {
std::int64_t seconds(double s) { return static_cast<std::int64_t>(s * 1e9); }
}  // namespace

HealthTracker::HealthTracker(const HealthCheckConfig& config, std::size_t nodes) : config_(config), state_(nodes) {
  next_probe_ns_ = static_cast<std::int64_t>(config.active_interval_ms * 1e6);
}

bool HealthTracker::refresh(State& s, std::int64_t now) {
  const bool was = s.available;
  s.available = !s.active_down && now >= s.passive_until && now >= s.ejected_until;
  if (s.available && !was) s.back_since = now;
  return s.available != was;
}

bool HealthTracker::observe(std::size_t node, std::uint64_t failures, std::uint64_t successes, std::int64_t now) {
  State& s = state_[node];
  if (successes > 0) s.consecutive = 0;
  if (failures == 0) return false;
  if (config_.max_fails > 0) {
    if (now - s.window_start > seconds(config_.fail_timeout_s)) {
      s.window_start = now;
      s.window_fails = 0;
    }
    s.window_fails += static_cast<unsigned>(std::min<std::uint64_t>(failures, 1u << 30));
    if (s.window_fails >= config_.max_fails) {
      s.passive_until = now + seconds(config_.fail_timeout_s);
      s.window_fails = 0;
      s.window_start = now;
      s.probe_oks = 0;  // with active checks, `rise` good probes from now on bring it back
    }
  }
  if (config_.consecutive_failures > 0) {
    s.consecutive += failures;
    if (s.consecutive >= config_.consecutive_failures && now >= s.ejected_until) {
      ++s.ejections;
      s.ejected_until = now + seconds(config_.base_ejection_s) * static_cast<std::int64_t>(s.ejections);
      s.consecutive = 0;
      s.probe_oks = 0;
    }
  }
  return refresh(s, now);
}

bool HealthTracker::probe_due(std::int64_t now) {
  if (config_.active_interval_ms <= 0 || now < next_probe_ns_) return false;
  next_probe_ns_ = now + static_cast<std::int64_t>(config_.active_interval_ms * 1e6);
  return true;
}

bool HealthTracker::probe(std::size_t node, bool answered, std::int64_t now) {
  State& s = state_[node];
  if (answered) {
    s.probe_fails = 0;
    if (s.probe_oks < config_.rise) ++s.probe_oks;
    if (s.probe_oks >= config_.rise) {
      s.active_down = false;
      // A node marked down by a passive check or an ejection is back once the checks say so.
      s.passive_until = std::min(s.passive_until, now);
      s.ejected_until = std::min(s.ejected_until, now);
    }
  } else {
    s.probe_oks = 0;
    if (!s.active_down && ++s.probe_fails >= config_.fall) s.active_down = true;
  }
  return refresh(s, now);
}

bool HealthTracker::expire(std::int64_t now) {
  bool changed = false;
  for (State& s : state_)
    if (!s.available) changed = refresh(s, now) || changed;
  return changed;
}

bool HealthTracker::reset_passive_marks(std::int64_t now) {
  bool changed = false;
  for (State& s : state_) {
    s.window_fails = 0;
    s.window_start = now;
    if (s.passive_until > now) {
      s.passive_until = now;
      changed = refresh(s, now) || changed;
    }
  }
  return changed;
}

HealthTracker::Mark HealthTracker::mark(std::size_t node, std::int64_t now) const {
  const State& s = state_[node];
  if (s.available) return Mark::up;
  if (s.active_down) return Mark::probing;
  if (now < s.ejected_until) return Mark::outlier;
  return Mark::passive;
}

double HealthTracker::weight_factor(std::size_t node, std::int64_t now) const {
  const State& s = state_[node];
  if (!s.available) return 0;
  if (config_.slow_start_s <= 0 || s.back_since < 0) return 1;
  const double t = static_cast<double>(now - s.back_since) / 1e9 / config_.slow_start_s;
  return t >= 1 ? 1.0 : 0.1 + 0.9 * t;
}

bool HealthTracker::ramping(std::int64_t now) const {
  if (config_.slow_start_s <= 0) return false;
  for (const State& s : state_)
    if (s.available && s.back_since >= 0 && now - s.back_since < seconds(config_.slow_start_s)) return true;
  return false;
}

}  // namespace loadlab
