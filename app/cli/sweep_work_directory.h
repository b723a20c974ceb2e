#pragma once
// The directory a sweep that runs elsewhere (a Slurm array job) lives in. The submitting
// command and every task read and write it, so it must be on storage all of them see (a
// shared home or project file system, not a node's /tmp):
//   scenario.json        the scenario, every flag applied (the tasks read nothing else)
//   sweep.json           the --vary specs and seeds (sweep_definition_file.h)
//   sweep-shard.sh       the job script each task runs
//   submitted.json       what was submitted: shards, the --csv, sbatch arguments, job ids
//   shards/shard-I.csv   shard I's rows, present only once shard I has finished
//   shards/shard-I.runs.csv, shards/shard-I.json   its --csv-runs and --json, if asked for
//   logs/shard-I.log     shard I's output (the scheduler writes it)
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/sweep_definition.h"

namespace loadlab::cli {

class SweepWorkDirectory {
 public:
  // `root` is made absolute: the tasks run elsewhere, in another directory.
  explicit SweepWorkDirectory(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path scenario_file() const { return root_ / "scenario.json"; }
  std::filesystem::path definition_file() const { return root_ / "sweep.json"; }
  std::filesystem::path job_script() const { return root_ / "sweep-shard.sh"; }
  std::filesystem::path submitted_file() const { return root_ / "submitted.json"; }
  std::filesystem::path shards_dir() const { return root_ / "shards"; }
  std::filesystem::path logs_dir() const { return root_ / "logs"; }
  std::filesystem::path shard_csv(std::size_t shard) const;
  std::filesystem::path shard_runs_csv(std::size_t shard) const;  // --csv-runs
  std::filesystem::path shard_json(std::size_t shard) const;      // --json
  std::filesystem::path shard_log(std::size_t shard) const;
  // The scheduler's %a (array index) stands for the shard in the log file name it is given.
  std::filesystem::path shard_log_pattern() const { return logs_dir() / "shard-%a.log"; }

  // Creates the directories and writes the scenario and the definition. Throws ScenarioError
  // naming --workdir when the directory cannot be created or written, or already holds a
  // submitted sweep (which --resume continues).
  void create(const Scenario& scenario, const SweepDefinition& definition) const;
  // Writes `text` to `file` in the directory all at once (a temporary, then renamed), so a
  // reader never sees half of it. Throws std::runtime_error naming the file.
  void write_file(const std::filesystem::path& file, const std::string& text) const;

  bool shard_finished(std::size_t shard) const;
  std::vector<std::size_t> unfinished_shards(std::size_t shards) const;
  // The last `lines` lines of the shard's log ("(no log)" when there is none).
  std::string log_tail(std::size_t shard, std::size_t lines) const;

 private:
  std::filesystem::path root_;
};

// Writes `text` to `file` through a temporary beside it and a rename: the file is either the
// old one or the whole new one. Throws std::runtime_error naming `file`.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace loadlab::cli
