#pragma once
#include <cstdio>

#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "theory/key_movement.h"
#include "theory/offered_load.h"
#include "theory/predictions.h"

namespace loadlab::cli {

// The per-node table `loadlab-cli run` prints: theory (expected share) beside measurement.
void print_report(std::FILE* out, const RunReport& report);
// What theory predicts for the run's mean latency and hit ratio, beside what was measured (the
// same predictions the window draws).
void print_theory(std::FILE* out, const Predictions& theory, const RunReport& report);
// Before an open-loop run: a warning on `out` when the offered load exceeds what the model can
// serve (ρ > 1), naming the busiest node; nothing otherwise.
// `bounded`: every node's queue has a limit or a timeout, so the excess is shed, not queued.
void print_overload_warning(std::FILE* out, const OfferedLoad& load, const std::vector<std::string>& node_names,
                            bool bounded = false);
// Which limit ended issuing: the request count, the duration, or an interrupt.
void print_end_reason(std::FILE* out, const Workload& workload, const RunReport& report, bool interrupted);
// After the run: one line with the offered load ρ and the capacity it was computed from.
void print_offered_load(std::FILE* out, const OfferedLoad& load);
// For hashing balancers: how many keys move when the last node leaves or joins.
void print_key_movement(std::FILE* out, const KeyMovement& movement, const std::vector<std::string>& node_names);

}  // namespace loadlab::cli
