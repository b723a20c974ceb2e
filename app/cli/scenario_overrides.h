#pragma once
// `loadlab-cli run` flags. Each one that is given overrides the scenario file (or the
// defaults); the result is validated like a file.
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace CLI {
class App;
}

namespace loadlab::cli {

struct ScenarioOverrides {
  std::optional<std::size_t> nodes;
  std::optional<std::string> weights, speeds;
  std::optional<unsigned> slots;
  std::optional<std::string> balancer, cache;
  std::optional<std::size_t> cache_capacity;
  bool hill_climb = false;  // --hill-climb: CacheParams::hill_climb
  std::optional<std::string> mode, arrival, popularity, service;
  bool max = false;
  std::optional<double> rate, duration, think_ms, zipf, hot_fraction, hot_share, hit_us, miss_us, interval_ms;
  std::optional<std::uint64_t> requests, keys, seed;
  std::optional<unsigned> clients, window;
  std::optional<unsigned> choices, vnodes;
  std::optional<double> decay_ms, balance_factor;
  std::optional<std::uint64_t> table_size;
  std::vector<std::string> faults;  // AT:ACTION:NODE[:VALUE[:VALUE]]
  std::optional<double> active_checks_ms, fail_timeout, ejection_s, slow_start;
  std::optional<unsigned> max_fails, eject_after, retries, rise, fall;
  std::optional<double> panic_threshold;
  std::optional<double> retry_budget, writes;
  std::optional<std::string> partitioning;
  std::optional<unsigned> partitions, replication, write_quorum;
  // Service and traffic models (docs/models.md).
  std::optional<double> service_p99_us, service_alpha, service_max_us, service_slow_probability, service_slow_factor;
  std::optional<std::string> service_file;
  std::optional<std::string> rate_schedule, rate_shape, bursty;  // AT_S:RATE,...  steps|linear  ON:OFF:ON_S:OFF_S
  std::optional<double> rate_period;
  std::optional<std::string> clock;
  std::optional<std::string> warmup;                         // SECONDS or "auto" (MSER-5, warmup_finder.h)
  std::optional<std::string> queue_limit, queue_timeout_ms;  // N or "unlimited"; MS or "none"
  std::optional<std::string> deadline_ms;                    // MS or "none"
  std::optional<std::string> drain;                          // wait, cancel or SECONDS
  std::optional<std::string> queue_discipline;
  std::optional<double> codel_target_ms, codel_interval_ms;
  std::optional<std::uint64_t> lifo_threshold;
  // Circuit breakers (model/circuit_breakers.h): N or "off".
  std::optional<std::string> cb_max_pending, cb_max_requests, cb_max_retries;
  // The adaptive concurrency limiter (model/gradient_controller.h) and its parameters.
  bool adaptive_concurrency = false;
  std::optional<double> ac_percentile, ac_max_limit, ac_update_interval_ms, ac_min_rtt_interval_ms, ac_request_count,
      ac_jitter, ac_min_concurrency, ac_buffer;

  void add_to(CLI::App& app, bool with_balancer = true);
  // Throws ScenarioError naming the flag for a malformed list or a count mismatch.
  void apply(Scenario& scenario, bool from_file) const;
  // --warmup auto: apply() leaves warmup_s at 0 and the command finds it (sweep/warmup_finder.h).
  bool warmup_auto() const { return warmup && *warmup == "auto"; }

 private:
  void apply_arrivals(Workload& workload) const;
  void apply_service(ServiceModel& service) const;
};

}  // namespace loadlab::cli
