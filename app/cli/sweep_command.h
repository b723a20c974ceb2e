#pragma once
// `loadlab-cli sweep` (a scenario over a grid of parameter values, every point run with
// several seeds) and `loadlab-cli merge` (shards of one sweep joined into one CSV).
#include <optional>
#include <string>
#include <vector>

#include "precision_flags.h"
#include "scenario_overrides.h"

namespace loadlab::cli {

struct SweepOptions {
  std::string scenario_file;
  ScenarioOverrides overrides;
  std::vector<std::string> vary;
  std::optional<unsigned> seeds;  // 5, or the preset's, when not given
  // A built-in sweep preset (sweep_preset.h) by name, or a preset file: its scenario, --vary
  // specs and seeds instead of the scenario file and the flags.
  std::optional<std::string> preset;
  unsigned threads = 0;  // 0: all cores
  std::optional<std::string> csv, csv_runs, json, shard;
  std::vector<std::string> assertions;
  bool quiet = false;
  PrecisionFlags precision;  // issue 20: each point runs until its intervals are narrow enough
  // The --vary specs and --seeds from a file (sweep_definition_file.h) instead of the flags.
  std::optional<std::string> definition;
  // Where the runs happen (sweep_executor.h); "local" when not given.
  std::optional<std::string> executor;
  // --executor slurm: array tasks (shards), extra sbatch arguments, the shared work
  // directory, and a work directory whose unfinished shards to submit again.
  std::optional<unsigned> jobs;
  std::vector<std::string> sbatch_args;
  std::optional<std::string> workdir, resume;
};

struct MergeOptions {
  std::vector<std::string> files;
  std::string csv;
};

int sweep_command(const SweepOptions& options);
int merge_command(const MergeOptions& options);

}  // namespace loadlab::cli
