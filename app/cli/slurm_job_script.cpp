#include "slurm_job_script.h"

#include <fmt/format.h>

namespace loadlab::cli {

std::string shell_single_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

std::string slurm_job_script(const std::filesystem::path& loadlab_cli, const std::filesystem::path& workdir,
                             std::size_t shards, Scenario::Clock clock, ShardOutputs outputs) {
  std::string extra_flags, extra_moves;
  auto add = [&](const char* flag, const char* suffix) {
    extra_flags += fmt::format("    {} \"shards/shard-$shard{}.partial\" \\\n", flag, suffix);
    extra_moves += fmt::format("mv \"shards/shard-$shard{0}.partial\" \"shards/shard-$shard{0}\" || exit\n", suffix);
  };
  if (outputs.runs_csv) add("--csv-runs", ".runs.csv");
  if (outputs.json) add("--json", ".json");
  return fmt::format(
      "#!/bin/sh\n"
      "# One shard of a LoadLab sweep, written by `loadlab-cli sweep --executor slurm`. Slurm runs it\n"
      "# once per task of the array job; the task's index is the shard. The CSV gets its final name\n"
      "# only when the shard has finished: `loadlab-cli sweep --resume` reruns the shards without one.\n"
      "cd {} || exit\n"
      "shard=$SLURM_ARRAY_TASK_ID\n"
      "{} sweep scenario.json --definition sweep.json --clock {} \\\n"
      "    --shard \"$shard/{}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" \\\n"
      "{}"
      "    --csv \"shards/shard-$shard.csv.partial\" || exit\n"
      "{}"
      "exec mv \"shards/shard-$shard.csv.partial\" \"shards/shard-$shard.csv\"\n",
      shell_single_quote(workdir.string()), shell_single_quote(loadlab_cli.string()),
      clock == Scenario::Clock::real ? "real" : "virtual", shards, extra_flags, extra_moves);
}

}  // namespace loadlab::cli
