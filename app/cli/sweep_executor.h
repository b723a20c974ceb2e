#pragma once
// Where a sweep's runs happen. `loadlab-cli sweep` reads and checks everything first (the
// scenario, every --vary, the seeds, the shard, the assertions, every point's scenario) and
// then hands the planned sweep to one executor, chosen by name with --executor:
//   local  this process, on every core (the default)
//   slurm  one Slurm array job, a shard of the grid per task, merged when every shard is done
// An executor owns what happens next — progress, Ctrl-C, the output files — and returns the
// command's exit code. Its constructor checks the options only it reads (and rejects the ones
// it cannot honour), throwing ScenarioError naming the flag, so bad input exits 2 before
// anything runs.
#include <memory>
#include <vector>

#include "base/registry.h"
#include "metric_assertions.h"
#include "scenario/scenario.h"
#include "sweep/sweep_definition.h"
#include "sweep_command.h"

namespace loadlab::cli {

struct SweepPlan {
  Scenario base;
  SweepDefinition definition;
  Shard shard;                     // the part of the grid this command was asked for
  std::vector<SweepPoint> points;  // that part's points, in grid order, each checked
  std::vector<MetricAssertion> assertions;
};

class SweepExecutor {
 public:
  virtual ~SweepExecutor() = default;
  virtual int run(const SweepPlan& plan) = 0;
};

using SweepExecutorRegistry = Registry<SweepExecutor, SweepOptions>;
const SweepExecutorRegistry& sweep_executors();

}  // namespace loadlab::cli
