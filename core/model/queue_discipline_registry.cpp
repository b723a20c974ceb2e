#include "model/queue_discipline_registry.h"

#include "model/adaptive_lifo_discipline.h"
#include "model/codel_discipline.h"
#include "model/fb_codel_discipline.h"
#include "model/fifo_discipline.h"

namespace loadlab {

const QueueDisciplineRegistry& queue_disciplines() {
  static const QueueDisciplineRegistry registry(
      "queue discipline",
      {
          {"fifo", "oldest request first (the default)",
           [](const QueueDisciplineParams&) { return std::make_unique<FifoDiscipline>(); }},
          {"adaptive-lifo", "oldest first, newest first once more than --lifo-threshold wait (Facebook, Fail at Scale)",
           [](const QueueDisciplineParams& p) { return std::make_unique<AdaptiveLifoDiscipline>(p.lifo_threshold); }},
          {"codel",
           "oldest first; drops at the head while the queueing delay stays above --codel-target-ms for "
           "--codel-interval-ms (RFC 8289)",
           [](const QueueDisciplineParams& p) {
             return std::make_unique<CodelDiscipline>(p.codel_target_ms, p.codel_interval_ms);
           }},
          {"fb-codel",
           "oldest first; once the queue has not been empty for --codel-interval-ms, a request waits at most "
           "--codel-target-ms, else dropped (Facebook, Fail at Scale)",
           [](const QueueDisciplineParams& p) {
             return std::make_unique<FbCodelDiscipline>(p.codel_target_ms, p.codel_interval_ms);
           }},
      });
  return registry;
}

}  // namespace loadlab
