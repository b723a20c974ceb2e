#pragma once
// `--executor local` (the default): every run of the plan in this process, on a pool of
// threads, with a progress bar on a terminal; Ctrl-C stops it and keeps the finished points.
#include "sweep_executor.h"

namespace loadlab::cli {

class LocalSweepExecutor : public SweepExecutor {
 public:
  // Throws ScenarioError for the options only another executor reads (--jobs, --sbatch-arg,
  // --workdir, --resume).
  explicit LocalSweepExecutor(const SweepOptions& options);
  int run(const SweepPlan& plan) override;

 private:
  SweepOptions options_;
};

}  // namespace loadlab::cli
