#include "model/gradient_controller.h"

#include <algorithm>
#include <cmath>

namespace loadlab {

namespace {
std::int64_t to_ns(double ms) { return static_cast<std::int64_t>(std::llround(ms * 1e6)); }
// Five windows in a row at the minimum: minRTT is measured again (Envoy's rule).
constexpr std::uint32_t kMinWindowsBeforeRemeasure = 5;
}  // namespace

GradientController::GradientController(const AdaptiveConcurrencyConfig& config, std::uint64_t seed)
    : config_(config),
      update_interval_ns_(std::max<std::int64_t>(1, to_ns(config.concurrency_update_interval_ms))),
      min_rtt_interval_ns_(std::max<std::int64_t>(1, to_ns(config.min_rtt_calc_interval_ms))),
      rng_(seed),
      limit_(config.min_concurrency) {
  std::lock_guard lock(mutex_);
  enter_min_rtt_window(0);
  sample_due_ns_ = update_interval_ns_;
}

bool GradientController::forward(std::int64_t now_ns) {
  std::lock_guard lock(mutex_);
  run_timers(now_ns);
  if (outstanding_.load(std::memory_order_relaxed) < limit_.load(std::memory_order_relaxed)) {
    outstanding_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  blocked_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void GradientController::record_latency(std::int64_t sent_ns, std::int64_t now_ns) {
  std::lock_guard lock(mutex_);
  run_timers(now_ns);
  outstanding_.fetch_sub(1, std::memory_order_relaxed);
  // A request sent before the minRTT window began waited under the old limit: not a sample
  // of the idle cluster.
  if (sent_ns < epoch_ns_) return;
  samples_.push_back(std::max<std::int64_t>(0, now_ns - sent_ns));
  if (deferred_limit_ > 0 && samples_.size() >= config_.request_count) update_min_rtt(now_ns);
}

void GradientController::cancel_latency_sample() { outstanding_.fetch_sub(1, std::memory_order_relaxed); }

void GradientController::run_timers(std::int64_t now_ns) {
  // Lazily, in the order they are due: each fires at its own time, not at now_ns.
  while (true) {
    const std::int64_t due = std::min(min_rtt_due_ns_, sample_due_ns_);
    if (due > now_ns) return;
    if (min_rtt_due_ns_ <= sample_due_ns_) {
      min_rtt_due_ns_ = kNever;
      enter_min_rtt_window(due);
    } else if (deferred_limit_ > 0) {
      // A minRTT window is under way: this timer gives up and the window's end sets it again.
      sample_due_ns_ = kNever;
    } else {
      sample_due_ns_ = due + update_interval_ns_;
      reset_sample_window(due);
    }
  }
}

void GradientController::enter_min_rtt_window(std::int64_t now_ns) {
  if (deferred_limit_ > 0) return;
  deferred_limit_ = std::max<std::uint32_t>(1, limit_.load(std::memory_order_relaxed));
  update_limit(config_.min_concurrency, now_ns);
  samples_.clear();
  epoch_ns_ = now_ns;
}

void GradientController::update_min_rtt(std::int64_t now_ns) {
  min_rtt_ns_ = percentile_and_clear();
  ++min_rtt_windows_;
  // Restored while still in the window (as Envoy does): not one of the windows at the minimum.
  update_limit(deferred_limit_, now_ns);
  deferred_limit_ = 0;
  min_rtt_due_ns_ = std::min(min_rtt_due_ns_, now_ns + jittered_interval());
  sample_due_ns_ = now_ns + update_interval_ns_;
}

std::int64_t GradientController::jittered_interval() {
  const double jitter = std::clamp(config_.jitter, 0.0, 100.0) / 100.0;
  if (jitter == 0) return min_rtt_interval_ns_;
  const auto range = static_cast<std::uint64_t>(std::ceil(static_cast<double>(min_rtt_interval_ns_) * jitter));
  return min_rtt_interval_ns_ + static_cast<std::int64_t>(rng_.below(std::max<std::uint64_t>(1, range)));
}

void GradientController::reset_sample_window(std::int64_t now_ns) {
  if (samples_.empty()) return;
  sample_rtt_ns_ = percentile_and_clear();
  update_limit(new_limit(), now_ns);
}

std::int64_t GradientController::percentile_and_clear() {
  // Nearest rank: the smallest sample with at least p of the samples at or below it.
  const double p = std::clamp(config_.sample_aggregate_percentile, 0.0, 100.0) / 100.0;
  const auto n = samples_.size();
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n)));
  const std::size_t index = rank == 0 ? 0 : std::min(n - 1, rank - 1);
  std::nth_element(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(index), samples_.end());
  const std::int64_t value = samples_[index];
  samples_.clear();
  return value;
}

std::uint32_t GradientController::new_limit() const {
  const double buffered_min_rtt = static_cast<double>(min_rtt_ns_) * (1 + std::clamp(config_.buffer, 0.0, 100.0) / 100);
  const double raw = sample_rtt_ns_ > 0 ? buffered_min_rtt / static_cast<double>(sample_rtt_ns_) : 2.0;
  const double gradient = std::clamp(raw, 0.5, 2.0);
  const double limit = static_cast<double>(limit_.load(std::memory_order_relaxed)) * gradient;
  const double headroom = std::sqrt(limit);
  const double next = std::floor(limit + headroom);
  return static_cast<std::uint32_t>(std::clamp(next, static_cast<double>(config_.min_concurrency),
                                               static_cast<double>(config_.max_concurrency_limit)));
}

void GradientController::update_limit(std::uint32_t limit, std::int64_t now_ns) {
  const std::uint32_t old = limit_.exchange(limit, std::memory_order_relaxed);
  if (deferred_limit_ == 0 && old == config_.min_concurrency && limit == config_.min_concurrency)
    ++consecutive_min_;
  else
    consecutive_min_ = 0;
  if (consecutive_min_ >= kMinWindowsBeforeRemeasure) {
    consecutive_min_ = 0;
    min_rtt_due_ns_ = now_ns;  // at once
  }
}

std::int64_t GradientController::min_rtt_ns() const {
  std::lock_guard lock(mutex_);
  return min_rtt_ns_;
}
std::int64_t GradientController::sample_rtt_ns() const {
  std::lock_guard lock(mutex_);
  return sample_rtt_ns_;
}
bool GradientController::in_min_rtt_window() const {
  std::lock_guard lock(mutex_);
  return deferred_limit_ > 0;
}
std::uint64_t GradientController::min_rtt_windows() const {
  std::lock_guard lock(mutex_);
  return min_rtt_windows_;
}

}  // namespace loadlab
