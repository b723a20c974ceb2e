#pragma once
// Facebook's CoDel for request queues, as "Fail at Scale" (Ben Maurer, ACM Queue 2015)
// describes it: "if the queue has not been empty for the last N ms, then the time spent in
// the queue is limited to M ms; if the queue has been empty at any time in the last N ms,
// the time spent in the queue is limited to N ms" (N = the interval, 100 ms there; M = the
// target, 5 ms). The limit is chosen as a request joins, from when the queue was last
// empty; a request past its limit is dropped when it reaches the head, and the next one is
// looked at. Served oldest first.
//
// Unlike RFC 8289's control law (codel_discipline.h), which raises its drop rate step by
// step for flows that slow down when dropped, this bounds every request's wait at once: a
// standing queue never holds more than the target's worth of work, whatever the overload.
#include <cstdint>

#include "model/queue_discipline.h"

namespace loadlab {

class FbCodelDiscipline final : public QueueDiscipline {
 public:
  FbCodelDiscipline(double target_ms, double interval_ms);
  std::optional<WaitingRequest> next(std::deque<WaitingRequest>& queue, std::int64_t now_ns, const Drop& drop) override;
  void enqueued(std::deque<WaitingRequest>& queue, std::int64_t now_ns) override;

 private:
  std::int64_t target_ns_, interval_ns_;
  std::int64_t last_empty_ns_ = 0;  // the last moment the queue was empty
};

}  // namespace loadlab
