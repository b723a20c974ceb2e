#pragma once
// Queue disciplines by the name the user types (--queue-discipline, "queue": {"discipline"}).
#include "base/registry.h"
#include "model/queue_discipline.h"

namespace loadlab {

using QueueDisciplineRegistry = Registry<QueueDiscipline, QueueDisciplineParams>;
const QueueDisciplineRegistry& queue_disciplines();

}  // namespace loadlab
