#pragma once
// `--executor slurm`: the sweep as one Slurm array job. It writes the scenario, the sweep's
// definition and a job script into a work directory on shared storage
// (sweep_work_directory.h), has sbatch check the request (--test-only) and then submits one
// array of N shards, each task running this same loadlab-cli with --shard I/N. It polls
// squeue, shows shards pending / running / done / failed (with an ETA on a terminal), and when
// every shard is done merges them into --csv (and --csv-runs, --json) — the bytes the local
// executor would write — and checks --assert on the merged means. A failed shard is named
// with the last lines of its log, the command exits 1 and writes no result; `--resume DIR`
// submits again only the shards without a finished CSV. Ctrl-C cancels the array (scancel)
// and says which shards had finished.
#include "sweep_executor.h"

namespace loadlab::cli {

class SlurmSweepExecutor : public SweepExecutor {
 public:
  // Throws ScenarioError for --jobs 0, no --csv, an output file that could not be written, a
  // --shard or --threads (each task's are the executor's), a --sbatch-arg that sets what the
  // executor owns (--array, --output, ...), and a missing sbatch, squeue or scancel.
  explicit SlurmSweepExecutor(const SweepOptions& options);
  int run(const SweepPlan& plan) override;

 private:
  SweepOptions options_;
};

}  // namespace loadlab::cli
