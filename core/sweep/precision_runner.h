#pragma once
// `--precision P` (issue 20): independent replications of one scenario — seeds
// replication_seed(seed, 0), (seed, 1), ... in that order — until the 95% interval of every
// requested figure is at most P × its estimate, or a cap is reached.
//
// Why replications and not batch means within one long run: each replication's figure (its
// mean, its p99, its hit ratio) is an independent, identically distributed sample, so
// Student's interval over them is honest for every figure alike, percentiles included; batch
// means need batches much longer than the correlation of the series (unknown near saturation,
// where it matters) and an order-statistics argument for percentiles. Replications also run on
// several threads, and give every point of a sweep the same seeds in the same order (common
// random numbers). The price is one warm-up per replication, which --warmup cuts from each.
//
// The stopping rule is sequential (Law & Kelton, 9.4.1): at least kPrecisionMinSeeds
// replications, then one more at a time, stopping at the first n where every requested figure
// has t(0.975, n−1)·s/√n ≤ P·|mean|. The decision is taken in seed order, so the result does
// not depend on the thread count (a wave may run seeds that are then not used).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "scenario/scenario.h"
#include "sweep/precision_target.h"
#include "sweep/replication_stats.h"
#include "sweep/run_metrics.h"

namespace loadlab {

class Simulator;

// Throws ScenarioError for a scenario --precision cannot run: the real clock (a run there takes
// its own wall time and is not repeatable, and replications would take minutes each).
void check_precision_scenario(const Scenario& scenario);

struct MetricPrecision {
  std::size_t metric = 0;
  ReplicationSummary summary;
  bool applicable = false;  // a value in at least 2 replications (no cache: hit_ratio has none)
  bool converged = false;   // applicable and ci95 <= P·|mean| with enough replications
};

struct PrecisionOutcome {
  std::vector<std::uint64_t> seeds;
  std::vector<RunMetricValues> runs;  // one per replication used, in seed order
  std::array<ReplicationSummary, kRunMetricCount> summary;
  std::vector<MetricPrecision> metrics;            // the requested ones, in the order asked
  bool converged = false;                          // every applicable requested metric converged
  std::string stopped_by;                          // "precision", "--max-seeds", "--max-requests", "cancelled"
  std::uint64_t requests = 0;                      // issued by the replications used
  RunReport first_report;                          // replication 0's
  std::vector<std::string> not_converged() const;  // names
};

struct PrecisionHooks {
  // After each replication, on the thread that ran it: (replication, its simulator, report).
  std::function<void(std::size_t, const Simulator&, const RunReport&)> on_replication;
  // (replications done, estimated replications in all) after each wave, for an ETA.
  std::function<void(std::size_t, std::size_t)> on_progress;
  const std::atomic<bool>* cancel = nullptr;  // checked between replications
};

// `scenario` with its warm-up already set (a number, or what find_warmup() found). Runs
// `threads` replications at a time (0: all cores).
PrecisionOutcome run_to_precision(const Scenario& scenario, const PrecisionTarget& target, unsigned threads,
                                  const PrecisionHooks& hooks = {});

// Replications still needed, estimated from where the intervals stand: n · (ci95 / (P·|mean|))²
// for the widest, within [n, max_seeds]. For progress bars.
std::size_t estimate_replications(const PrecisionOutcome& so_far, const PrecisionTarget& target);

}  // namespace loadlab
