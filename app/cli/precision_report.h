#pragma once
// What `--precision` prints: per requested figure its estimate, its 95% half-width, and
// whether it converged; and the stderr warning for those that did not.
#include <cstdio>
#include <string>

#include "sweep/precision_runner.h"

namespace loadlab::cli {

void print_precision(std::FILE* out, const PrecisionOutcome& outcome, const PrecisionTarget& target);
// "mean_us ±7.1% (asked ±5%), p99_us ±6.0%": the figures that did not converge; empty if all did.
std::string describe_not_converged(const PrecisionOutcome& outcome, const PrecisionTarget& target);

}  // namespace loadlab::cli
