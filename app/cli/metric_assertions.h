#pragma once
// `--assert` on the command line: parsed before anything runs, checked on the results, each
// failure named on stderr.
#include <string>
#include <vector>

#include "sweep/sweep_assertion.h"

namespace loadlab::cli {

// Throws ScenarioError (exit 2) for a malformed assertion.
std::vector<MetricAssertion> parse_assertions(const std::vector<std::string>& texts);
// Prints "assertion failed: TEXT [at WHERE] (METRIC = VALUE)" for each that fails; returns
// how many failed. `where` names the point in a sweep, empty for a run.
std::size_t report_failed_assertions(const std::vector<MetricAssertion>& assertions, const RunMetricValues& values,
                                     const std::string& where);

}  // namespace loadlab::cli
