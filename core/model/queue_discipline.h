#pragma once
// Which waiting request a node serves next when a slot frees, and which it sheds on the way:
// a small interface with one implementation per file, found by name through a registry
// (queue_discipline_registry.h), as balancers and caches are. The node keeps the queue itself
// (oldest first; its limit and timeout work the same whatever the discipline) and asks the
// discipline only at the moment of a dequeue, with the time: the same code on both clocks.
//
// - fifo: oldest first (the default; what every node did before there was a choice).
// - adaptive-lifo: oldest first while the queue is short, newest first once it is longer than
//   a threshold — Facebook's "Fail at Scale" (ACM Queue, 2015): under a backlog the newest
//   request is the one whose client is still waiting, and the old ones are likely to have
//   given up already.
// - codel: oldest first, dropping at the head while the time requests spend in the queue
//   stays above a target for an interval (RFC 8289), at a rate that grows as
//   interval / sqrt(drops) until the delay is back under the target.
// - fb-codel: Facebook's CoDel for request queues ("Fail at Scale"): a request that joins a
//   queue that has not been empty for a whole interval may wait at most the target, else at
//   most the interval; one that has waited longer is dropped when it reaches the head.
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>

#include "model/request.h"

namespace loadlab {

struct WaitingRequest {
  Request request;
  std::int64_t arrived_ns = 0;  // when it joined the queue: its sojourn time is counted from here
  // Set by a discipline as the request joins (fb-codel): dropped if it reaches the head later.
  std::int64_t drop_after_ns = std::numeric_limits<std::int64_t>::max();
};

// Every discipline's parameters (each reads its own); the defaults are those of the sources.
struct QueueDisciplineParams {
  double codel_target_ms = 5;         // RFC 8289's TARGET
  double codel_interval_ms = 100;     // RFC 8289's INTERVAL
  std::uint64_t lifo_threshold = 10;  // adaptive-lifo: serve newest first above this many waiting
};

class QueueDiscipline {
 public:
  // A request the discipline sheds (counted by the node with reason codel_drop).
  using Drop = std::function<void(const Request&)>;
  virtual ~QueueDiscipline() = default;
  // A slot is free and `queue` (oldest first) is not empty: take out the request to serve now,
  // after taking out and dropping any the discipline sheds. Nothing when it dropped them all.
  virtual std::optional<WaitingRequest> next(std::deque<WaitingRequest>& queue, std::int64_t now_ns,
                                             const Drop& drop) = 0;
  // A request has just joined the back of `queue` at `now_ns`.
  virtual void enqueued(std::deque<WaitingRequest>& /*queue*/, std::int64_t /*now_ns*/) {}
};

}  // namespace loadlab
