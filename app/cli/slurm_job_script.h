#pragma once
// The batch script every task of a sweep's Slurm array job runs. It holds no --vary spec, no
// scenario text and no sbatch argument — those travel in files and argument vectors — only
// the loadlab-cli path and the work directory, each single-quoted for the shell:
//   cd '<workdir>' || exit
//   shard=$SLURM_ARRAY_TASK_ID
//   '<loadlab-cli>' sweep scenario.json --definition sweep.json --clock virtual --shard "$shard/N"
//       --threads "${SLURM_CPUS_PER_TASK:-1}" --csv shards/shard-$shard.csv.partial || exit
//   mv shards/shard-$shard.csv.partial shards/shard-$shard.csv
// The CSV gets its final name only when the shard's sweep succeeded, so "the shard's CSV
// exists" means "the shard finished", on any file system and whatever killed a task.
// A task uses the CPUs Slurm gave it (--cpus-per-task through --sbatch-arg), one by default.
#include <cstddef>
#include <filesystem>
#include <string>

#include "scenario/scenario.h"

namespace loadlab::cli {

// 'text' for a POSIX shell: every character literal, a ' written as '\''.
std::string shell_single_quote(const std::string& text);

// What each task writes besides its tidy CSV (--csv-runs, --json): shards/shard-I.runs.csv and
// shards/shard-I.json, each renamed into place before the CSV, so the CSV still means "all
// of the shard's files are there".
struct ShardOutputs {
  bool runs_csv = false, json = false;
};

std::string slurm_job_script(const std::filesystem::path& loadlab_cli, const std::filesystem::path& workdir,
                             std::size_t shards, Scenario::Clock clock, ShardOutputs outputs = {});

}  // namespace loadlab::cli
