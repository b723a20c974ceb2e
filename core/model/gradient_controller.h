#pragma once
// An adaptive concurrency limiter in front of the cluster: Envoy's adaptive_concurrency filter
// with its gradient controller (after Netflix's Gradient algorithm). A request is forwarded
// while fewer than `limit` are outstanding, else it fails at once with reason
// `concurrency_limited` (Envoy answers 503 and counts rq_blocked). The limit follows latency:
//
// - minRTT: every `min_rtt_calc_interval` (plus up to `jitter` of it, at random) the limit is
//   pinned to `min_concurrency` until `request_count` answers have come back; their
//   `sample_aggregate_percentile` is the latency of an idle cluster. It is measured first
//   thing, at the start.
// - sampleRTT: every `concurrency_update_interval` (outside a minRTT window), the percentile
//   of the answers of that window;
//   gradient = clamp(minRTT × (1 + buffer) / sampleRTT, 0.5, 2),
//   limit = limit × gradient + sqrt(limit × gradient), clamped to
//   [min_concurrency, max_concurrency_limit].
// - When the limit has been set to min_concurrency five windows in a row, minRTT is measured
//   again at once (it may have been measured under load).
//
// The parameters are Envoy's, by Envoy's names (GradientControllerConfig), with its defaults
// except two Envoy leaves to the user: concurrency_update_interval (100 ms here) and the
// minRTT interval (60 s here). Envoy's fixed_value (a configured minRTT) is not modelled.
//
// It never asks the time: every call carries `now`, and the controller's two timers (the next
// minRTT window, the end of the sample window) fire inside the call that first comes at or
// after their time — on the virtual clock, deterministically. Samples are kept exactly (not
// in an approximate histogram as Envoy keeps them); the percentile is the nearest rank.
//
// Threading: the real engine's dispatcher thread calls forward(), the node threads
// record_latency() and cancel_latency_sample(): one mutex, held briefly, as Envoy's filter
// holds its sample mutex on every answer.
#include <atomic>
#include <cstdint>
#include <limits>
#include <mutex>
#include <vector>

#include "base/random.h"

namespace loadlab {

struct AdaptiveConcurrencyConfig {
  bool enabled = false;
  double sample_aggregate_percentile = 50;      // percent
  std::uint32_t max_concurrency_limit = 1000;   // concurrency_limit_params
  double concurrency_update_interval_ms = 100;  // concurrency_limit_params
  double min_rtt_calc_interval_ms = 60'000;     // min_rtt_calc_params.interval
  std::uint32_t request_count = 50;             // min_rtt_calc_params
  double jitter = 15;                           // min_rtt_calc_params, percent
  std::uint32_t min_concurrency = 3;            // min_rtt_calc_params
  double buffer = 25;                           // min_rtt_calc_params, percent
};

class GradientController {
 public:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

  // Starts at time 0 inside a minRTT window, as Envoy's starts at its creation.
  GradientController(const AdaptiveConcurrencyConfig& config, std::uint64_t seed);

  // Envoy's forwardingDecision: true (and one more outstanding) when the request may go.
  bool forward(std::int64_t now_ns);
  // A forwarded request was answered at now_ns; it was sent at sent_ns.
  void record_latency(std::int64_t sent_ns, std::int64_t now_ns);
  // A forwarded request ended without an answer (failed, shed, cancelled): no sample.
  void cancel_latency_sample();

  std::uint32_t concurrency_limit() const { return limit_.load(std::memory_order_relaxed); }
  std::uint64_t outstanding() const { return outstanding_.load(std::memory_order_relaxed); }
  std::uint64_t blocked() const { return blocked_.load(std::memory_order_relaxed); }
  // For tests and the report.
  std::int64_t min_rtt_ns() const;
  std::int64_t sample_rtt_ns() const;
  bool in_min_rtt_window() const;
  std::uint64_t min_rtt_windows() const;  // minRTT measurements completed

 private:
  void run_timers(std::int64_t now_ns);  // fires the timers due by now_ns, in time order
  void enter_min_rtt_window(std::int64_t now_ns);
  void update_min_rtt(std::int64_t now_ns);
  void reset_sample_window(std::int64_t now_ns);
  void update_limit(std::uint32_t limit, std::int64_t now_ns);
  std::uint32_t new_limit() const;
  std::int64_t percentile_and_clear();
  std::int64_t jittered_interval();

  const AdaptiveConcurrencyConfig config_;
  const std::int64_t update_interval_ns_, min_rtt_interval_ns_;
  mutable std::mutex mutex_;
  Rng rng_;
  std::vector<std::int64_t> samples_;
  std::int64_t min_rtt_ns_ = 0, sample_rtt_ns_ = 0;
  std::int64_t epoch_ns_ = 0;         // samples of requests sent before the current minRTT window are ignored
  std::uint32_t deferred_limit_ = 0;  // the limit to restore after the minRTT window; 0: not in one
  std::uint32_t consecutive_min_ = 0;
  std::int64_t min_rtt_due_ns_ = kNever, sample_due_ns_ = kNever;
  std::uint64_t min_rtt_windows_ = 0;
  std::atomic<std::uint32_t> limit_;
  std::atomic<std::uint64_t> outstanding_{0}, blocked_{0};
};

}  // namespace loadlab
