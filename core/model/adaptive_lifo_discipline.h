#pragma once
// Adaptive LIFO (Facebook, "Fail at Scale", ACM Queue 2015): first in, first out while at
// most `threshold` requests wait; beyond that, last in, first out. In a backlog the newest
// request is the one most likely to be answered in time; when the queue is short again,
// order is fair again. Nothing is dropped (pair it with a queue limit or timeout to shed the
// old ones that LIFO leaves behind).
#include <cstdint>

#include "model/queue_discipline.h"

namespace loadlab {

class AdaptiveLifoDiscipline final : public QueueDiscipline {
 public:
  explicit AdaptiveLifoDiscipline(std::uint64_t threshold) : threshold_(threshold) {}
  std::optional<WaitingRequest> next(std::deque<WaitingRequest>& queue, std::int64_t now_ns, const Drop& drop) override;

 private:
  std::uint64_t threshold_;
};

}  // namespace loadlab
