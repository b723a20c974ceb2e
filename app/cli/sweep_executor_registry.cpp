#include "local_sweep_executor.h"
#include "slurm_sweep_executor.h"
#include "sweep_executor.h"

namespace loadlab::cli {

const SweepExecutorRegistry& sweep_executors() {
  static const SweepExecutorRegistry registry(
      "executor", {
                      {"local", "every run in this process, on every core (the default)",
                       [](const SweepOptions& o) { return std::make_unique<LocalSweepExecutor>(o); }},
                      {"slurm", "one Slurm array job, a shard per task, merged into --csv when all are done",
                       [](const SweepOptions& o) { return std::make_unique<SlurmSweepExecutor>(o); }},
                  });
  return registry;
}

}  // namespace loadlab::cli
