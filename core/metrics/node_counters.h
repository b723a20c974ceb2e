#pragma once
// Per-node counters shared between threads without locks. Each counter has exactly one
// writer, which bumps it with a relaxed load+store (no locked read-modify-write on the hot
// path); readers load. `issued` belongs to the dispatcher, the rest to the node's thread,
// and they sit on separate cache lines so the two writers do not slow each other down.
//
// Accounting: completed and failed are stored with release after the work is done, and a
// reader loads them (acquire) before `issued`, so issued >= completed + failed always holds
// for the reader and in_flight = issued - completed - failed is never negative. Retries move
// a request from one node to another (retried_out there, retried_in here) without touching
// the cluster's count of issued requests.
#include <atomic>
#include <cstdint>

#include "metrics/histogram.h"

namespace loadlab {

inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1,
                 std::memory_order order = std::memory_order_relaxed) {
  counter.store(counter.load(std::memory_order_relaxed) + by, order);
}

struct NodeCounters {
  alignas(64) std::atomic<std::uint64_t> issued{0};  // dispatcher: handed to this node
  std::atomic<std::uint64_t> retried_in{0};          // retries forwarded here; several writers: fetch_add
  std::atomic<std::uint64_t> write_attempts{0};      // dispatcher: replica copies of writes sent here

  alignas(64) std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed_cancelled{0};  // queued or in service when the run stopped
  std::atomic<std::uint64_t> failed_down{0};       // sent to the node while it was down, or lost when it was killed
  std::atomic<std::uint64_t> retried_out{0};       // failed here and forwarded to another node to retry
  // Shed by the node's queue bound (model/queue_policy.h): turned away because the queue was
  // full, or given up after waiting too long for a slot.
  std::atomic<std::uint64_t> failed_queue_full{0}, failed_queue_timeout{0};
  std::atomic<std::uint64_t> failed_codel_drop{0};  // dropped by CoDel (model/codel_discipline.h)
  // Turned away by the cluster's circuit breakers (model/circuit_breakers.h) at this node.
  std::atomic<std::uint64_t> failed_overflow{0};
  // Replica copies of writes: acknowledged, or failed (node down, shed by the queue bound, or
  // cancelled at the end).
  std::atomic<std::uint64_t> write_acks{0}, write_attempts_down{0}, write_attempts_shed{0}, write_attempts_cancelled{0};
  // Writes this node decided: its acknowledgement made the quorum, or its failure made the
  // quorum impossible (the reason is that of the deciding failure).
  std::atomic<std::uint64_t> writes_completed{0}, writes_failed_quorum{0}, writes_failed_cancelled{0};
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
  // Completed (reads, and writes whose quorum this node completed) within the scenario's
  // deadline of their intended send time: goodput. Counted only when there is a deadline.
  std::atomic<std::uint64_t> within_deadline{0};
  std::atomic<std::uint64_t> latency_sum_ns{0};
  std::atomic<std::uint64_t> latency_max_ns{0};
  std::atomic<std::uint64_t> queue_length{0};  // gauge: waiting for a slot
  std::atomic<std::uint64_t> in_service{0};    // gauge: occupying a slot
  HistogramRecorder latency;                   // cumulative, nanoseconds

  // Requests that left the node, completed or failed; load before `issued` (see above).
  std::uint64_t failed() const {
    return failed_cancelled.load(std::memory_order_acquire) + failed_down.load(std::memory_order_acquire) +
           failed_queue_full.load(std::memory_order_acquire) + failed_queue_timeout.load(std::memory_order_acquire) +
           failed_codel_drop.load(std::memory_order_acquire) + failed_overflow.load(std::memory_order_acquire);
  }
  // Requests that left the node: completed, failed for good, or handed to another node.
  std::uint64_t finished() const {
    return completed.load(std::memory_order_acquire) + failed() + retried_out.load(std::memory_order_acquire) +
           write_acks.load(std::memory_order_acquire) + write_attempts_down.load(std::memory_order_acquire) +
           write_attempts_shed.load(std::memory_order_acquire) +
           write_attempts_cancelled.load(std::memory_order_acquire);
  }
  // Requests that arrived: from the dispatcher or retried here from another node. A retry is
  // counted in at its new node before it is counted out at the old one, so a reader that
  // loads finished() first never sees it nowhere.
  std::uint64_t arrived() const {
    return issued.load(std::memory_order_acquire) + retried_in.load(std::memory_order_acquire) +
           write_attempts.load(std::memory_order_acquire);
  }
};

}  // namespace loadlab
