#pragma once
// `loadlab-cli run`, and the pieces `compare` shares with it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metrics/run_report.h"
#include "metrics/snapshot.h"
#include "precision_flags.h"
#include "scenario_overrides.h"

struct sigaction;

namespace loadlab::cli {

struct RunOptions {
  std::string scenario_file;
  ScenarioOverrides overrides;
  std::optional<std::string> csv_dir;
  std::optional<std::string> save_scenario;
  std::optional<std::string> json;      // the run's figures (run_metrics.h) and counts as JSON
  std::vector<std::string> assertions;  // 'p99_us<50000': exit 99 naming each that fails
  PrecisionFlags precision;             // issue 20: --precision and its caps
  bool quiet = false;
};

struct RunResult {
  RunReport report;
  std::vector<Snapshot> snapshots;
  std::vector<std::string> node_names;
  bool interrupted = false;
  bool balanced = true;  // issued = completed + failed and nothing left in flight
  std::vector<double> report_weights() const {
    std::vector<double> w;
    for (const NodeSummary& n : report.nodes) w.push_back(n.weight);
    return w;
  }
};

// The scenario file (if any) with the flags applied, validated. Throws ScenarioError.
Scenario effective_scenario(const std::string& scenario_file, const ScenarioOverrides& overrides);
// Runs to the end (or Ctrl-C, which stops the run cleanly), collecting every snapshot (or
// only the newest when `keep_snapshots` is false).
// `report_drain`: once the last request is issued with a backlog left, say so on stderr, then
// a line per second of the run's clock with what is left, and how long the drain took.
RunResult execute(const Scenario& scenario, bool progress, bool keep_snapshots = true, bool report_drain = false);
bool interrupted();

// Ctrl-C (SIGINT) and SIGTERM set interrupted() while it lives, and it restores the previous
// handlers when it ends (the end-to-end tests call the commands several times in one process).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  std::unique_ptr<struct sigaction> old_int_, old_term_;
};

int run_command(const RunOptions& options);

}  // namespace loadlab::cli
