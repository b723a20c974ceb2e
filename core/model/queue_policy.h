#pragma once
// How a node's queue is bounded, as HAProxy bounds a server's: `maxqueue` (at most this many
// requests wait for a slot; the next one is answered at once with a failure, reason
// queue_full) and `timeout queue` (a request that has waited this long for a slot gives up,
// reason queue_timeout). Past saturation an unbounded queue grows for as long as requests
// arrive and every one of them waits longer than the last; a bounded one keeps latency and
// memory flat and says how much was turned away.
//
// The scenario holds the cluster's default (Scenario::queue) and each node may override a
// field of it (NodeSpec::queue); NodeModel applies the result on either clock.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace loadlab {

struct QueuePolicy {
  static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();
  static constexpr double kNoTimeout = std::numeric_limits<double>::infinity();
  std::uint64_t limit = kUnlimited;  // requests waiting for a slot at most ("unlimited" by default)
  double timeout_ms = kNoTimeout;    // longest wait for a slot ("none" by default)

  bool limited() const { return limit != kUnlimited; }
  bool times_out() const { return !std::isinf(timeout_ms); }
};

// A node's own settings: each field given replaces the cluster's.
struct QueueOverrides {
  std::optional<std::uint64_t> limit;
  std::optional<double> timeout_ms;

  bool empty() const { return !limit && !timeout_ms; }
  QueuePolicy over(QueuePolicy cluster) const {
    if (limit) cluster.limit = *limit;
    if (timeout_ms) cluster.timeout_ms = *timeout_ms;
    return cluster;
  }
};

// Limits that keep a typo from meaning "never": a queue of a hundred million requests is
// gigabytes, and an hour in a queue is no timeout.
inline constexpr std::uint64_t kMaxQueueLimit = 100'000'000;
inline constexpr double kMaxQueueTimeoutMs = 3'600'000;

}  // namespace loadlab
