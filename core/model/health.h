#pragma once
// Health checking as the balancer's side sees it: which nodes it may pick. A killed node is
// not taken out of rotation by magic — only when a check notices, and the requests sent in
// between fail, as they do in production.
//
// - Active checks: a probe every interval; `fall` failed probes in a row mark a node down,
//   `rise` good ones mark it up again (HAProxy's `inter`/`fall`/`rise`). With active checks on,
//   a node marked down by the passive check or by outlier ejection also comes back after
//   `rise` good probes in a row counted from the mark (HAProxy's `observe` + `on-error
//   mark-down`: the checks decide when a server that errored is back), not only when its
//   time out ends.
// - Passive checks (nginx's `max_fails`/`fail_timeout`): `max_fails` failed requests within
//   `fail_timeout` make the node unavailable for `fail_timeout`; then it is tried again. When
//   every node is marked down this way, the marks are reset "for quick recovery" (nginx's
//   round robin does this when it finds no peer): reset_passive_marks().
// - Outlier ejection (Envoy): `consecutive_failures` failed requests in a row eject the node
//   for base_ejection × (times ejected so far).
// - Panic threshold (Envoy's `healthy_panic_threshold`): applied by HealthMonitor, which knows
//   which nodes are in service (health_monitor.h).
// - Slow start: a node that comes back ramps its weight linearly from 10% to 100% over the
//   window, so a cold node (empty cache) is not flooded at once (nginx `slow_start`).
//
// The engine feeds failures and successes per node as counter deltas (one call per node per
// dispatcher pass): when a pass saw both, they are taken to be in the worst order (the
// failures last), so consecutive-failure counting errs toward ejecting.
#include <cstdint>
#include <limits>
#include <vector>

namespace loadlab {

struct HealthCheckConfig {
  double active_interval_ms = 0;  // 0: no active checks
  unsigned fall = 3, rise = 2;
  unsigned max_fails = 1;  // 0: no passive checks
  double fail_timeout_s = 10;
  unsigned consecutive_failures = 0;  // 0: no outlier ejection
  double base_ejection_s = 30;
  double slow_start_s = 0;  // 0: full weight at once
  // Envoy's panic threshold, percent: when fewer than this share of the nodes in service are
  // available, the balancer picks among all of them as if they were healthy. 0: off.
  double panic_threshold = 50;
};

class HealthTracker {
 public:
  HealthTracker(const HealthCheckConfig& config, std::size_t nodes);

  // Requests that failed (node down) and succeeded at `node` since the last call. Returns true
  // when the node's availability changed.
  bool observe(std::size_t node, std::uint64_t failures, std::uint64_t successes, std::int64_t now_ns);
  // Whether an active probe round is due; then probe() each node.
  bool probe_due(std::int64_t now_ns);
  // When the next probe round is due; max() without active checks.
  std::int64_t next_probe_ns() const {
    return config_.active_interval_ms > 0 ? next_probe_ns_ : std::numeric_limits<std::int64_t>::max();
  }
  bool probe(std::size_t node, bool answered, std::int64_t now_ns);
  // Ends passive timeouts and ejections whose time has come. True when any node came back.
  bool expire(std::int64_t now_ns);

  // nginx: every node is marked down by the passive check, so the failure counts are reset
  // and every node is tried again. Returns true when a node came back.
  bool reset_passive_marks(std::int64_t now_ns);

  // Why a node is out of rotation, for the window; `up` when it is available.
  enum class Mark { up, passive, outlier, probing };
  Mark mark(std::size_t node, std::int64_t now_ns) const;

  bool available(std::size_t node) const { return state_[node].available; }
  // 1 normally; during slow start the fraction of the weight the node may use.
  double weight_factor(std::size_t node, std::int64_t now_ns) const;
  bool ramping(std::int64_t now_ns) const;
  std::uint64_t ejections(std::size_t node) const { return state_[node].ejections; }
  const HealthCheckConfig& config() const { return config_; }

 private:
  struct State {
    bool available = true;
    bool active_down = false;
    unsigned probe_fails = 0, probe_oks = 0;
    unsigned window_fails = 0;
    std::int64_t window_start = 0;
    std::int64_t passive_until = 0;
    std::uint64_t consecutive = 0;
    std::uint64_t ejections = 0;
    std::int64_t ejected_until = 0;
    std::int64_t back_since = -1;  // when the node last became available again
  };
  bool refresh(State& s, std::int64_t now_ns);  // recomputes `available`; true when it changed

  HealthCheckConfig config_;
  std::vector<State> state_;
  std::int64_t next_probe_ns_ = 0;
};

}  // namespace loadlab
