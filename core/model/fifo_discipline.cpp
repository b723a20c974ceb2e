#include "model/fifo_discipline.h"

namespace loadlab {

std::optional<WaitingRequest> FifoDiscipline::next(std::deque<WaitingRequest>& queue, std::int64_t, const Drop&) {
  WaitingRequest w = queue.front();
  queue.pop_front();
  return w;
}

}  // namespace loadlab
