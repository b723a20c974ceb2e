#pragma once
#include <cstdio>

#include "run_report.h"

namespace loadlab::cli {

// The per-node table `loadlab-cli run` prints: theory (expected share) beside measurement.
void print_report(std::FILE* out, const RunReport& report);

}  // namespace loadlab::cli
