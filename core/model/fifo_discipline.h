#pragma once
// First in, first out: the oldest waiting request is served next (queue_discipline.h).
#include "model/queue_discipline.h"

namespace loadlab {

class FifoDiscipline final : public QueueDiscipline {
 public:
  std::optional<WaitingRequest> next(std::deque<WaitingRequest>& queue, std::int64_t now_ns, const Drop& drop) override;
};

}  // namespace loadlab
