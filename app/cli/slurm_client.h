#pragma once
// The Slurm commands a sweep uses — sbatch, squeue, scancel and, where accounting is on,
// sacct — run as programs with argument vectors (base/child_process.h), their output parsed.
// Nothing here keeps state: the job ids are the caller's.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loadlab::cli {

enum class SlurmTaskState { pending, running };

// squeue -h -r -o '%F %K %t' lines ("123 4 R") → the queued tasks of `job_id` by array index.
// Pending and configuring tasks are pending; running, completing and suspended ones running.
std::map<std::size_t, SlurmTaskState> parse_squeue_tasks(const std::string& squeue_output, const std::string& job_id);

// "0-3" or "1,4,7": the --array list of the given indexes, ranges where they run on.
std::string slurm_array_list(const std::vector<std::size_t>& indexes);

class SlurmClient {
 public:
  // Throws ScenarioError naming --executor when sbatch, squeue or scancel is not on PATH,
  // naming the Debian package that has them.
  SlurmClient();

  // `sbatch --test-only`: the controller checks the arguments and the request (partition,
  // limits, array size) and nothing is submitted. nullopt when sbatch accepts it, otherwise
  // sbatch's own message.
  std::optional<std::string> check(const std::vector<std::string>& sbatch_args,
                                   const std::filesystem::path& script) const;
  // Submits and returns the job id. Throws std::runtime_error with sbatch's message.
  std::string submit(const std::vector<std::string>& sbatch_args, const std::filesystem::path& script) const;
  // The tasks of the job still in the queue; nullopt when squeue failed (its message in
  // *error). A job the controller has already forgotten has no tasks.
  std::optional<std::map<std::size_t, SlurmTaskState>> queued_tasks(const std::string& job_id,
                                                                    std::string* error) const;
  // scancel the whole job; false with scancel's message in *error when it failed.
  bool cancel(const std::string& job_id, std::string* error) const;
  // How one task ended, "FAILED, exit code 1:0", from sacct; empty where accounting is off.
  std::string task_outcome(const std::string& job_id, std::size_t index) const;

 private:
  std::filesystem::path sbatch_, squeue_, scancel_;
};

}  // namespace loadlab::cli
