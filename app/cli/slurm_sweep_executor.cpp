#include "slurm_sweep_executor.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "base/input_file.h"
#include "cli_app.h"
#include "duration_text.h"
#include "run_command.h"
#include "slurm_client.h"
#include "slurm_job_script.h"
#include "slurm_shard_board.h"
#include "sweep/sweep_csv.h"
#include "sweep_work_directory.h"

namespace loadlab::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Without --jobs, one shard per point, up to this many: a task per point keeps every shard
// short, and a hundred tasks keep the scheduler's queue readable.
constexpr std::size_t kDefaultMaxShards = 100;
// squeue is asked every second at first, then less often, up to every 10 s: a long sweep on
// a busy cluster should not keep its controller busy answering.
constexpr auto kFirstPoll = std::chrono::milliseconds(1000);
constexpr auto kLongestPoll = std::chrono::milliseconds(10000);
// How long squeue may keep failing (the controller restarting) before the command gives up.
constexpr auto kSqueueOutage = std::chrono::minutes(5);
constexpr std::size_t kLogLines = 10;

// What was submitted from a work directory (submitted.json), so --resume knows the shard
// count, where the result goes, the sbatch arguments and which jobs to look for.
struct Submission {
  struct Job {
    std::string id;
    std::vector<std::size_t> shards;
  };
  std::size_t shards = 0;
  std::string csv, csv_runs, json;  // the last two empty when not asked for
  std::vector<std::string> sbatch_args;
  std::vector<std::string> assertions;  // checked on the merged result
  std::vector<Job> jobs;
};

std::string submission_to_json(const Submission& s) {
  nlohmann::ordered_json j;
  j["shards"] = s.shards;
  j["csv"] = s.csv;
  j["csv_runs"] = s.csv_runs;
  j["json"] = s.json;
  j["sbatch_args"] = s.sbatch_args;
  j["assertions"] = s.assertions;
  j["jobs"] = nlohmann::ordered_json::array();
  for (const Submission::Job& job : s.jobs) j["jobs"].push_back({{"id", job.id}, {"shards", job.shards}});
  return j.dump(2) + "\n";
}

Submission load_submission(const SweepWorkDirectory& dir) {
  const fs::path file = dir.submitted_file();
  std::error_code ec;
  if (!fs::is_directory(dir.root(), ec))
    throw ScenarioError("--resume", fmt::format("'{}' is not a directory", dir.root().string()));
  if (unreadable_file_problem(file))
    throw ScenarioError("--resume", fmt::format("'{}' holds no submitted sweep (no {})", dir.root().string(),
                                                file.filename().string()));
  try {
    std::ifstream in(file, std::ios::binary);
    const nlohmann::json j = nlohmann::json::parse(in);
    Submission s;
    s.shards = j.at("shards").get<std::size_t>();
    s.csv = j.at("csv").get<std::string>();
    s.csv_runs = j.at("csv_runs").get<std::string>();
    s.json = j.at("json").get<std::string>();
    s.sbatch_args = j.at("sbatch_args").get<std::vector<std::string>>();
    s.assertions = j.at("assertions").get<std::vector<std::string>>();
    for (const auto& job : j.at("jobs"))
      s.jobs.push_back({job.at("id").get<std::string>(), job.at("shards").get<std::vector<std::size_t>>()});
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw ScenarioError("--resume", fmt::format("'{}' is not a submission LoadLab wrote: {}", file.string(), e.what()));
  }
}

// The sbatch options the executor sets itself and a --sbatch-arg must not change: the array
// is the shards, the log is what a failed shard is reported with, the script and its
// directory are the work directory's. Returns why, or nullptr for any other argument.
const char* owned_sbatch_option(const std::string& arg) {
  struct Owned {
    const char *long_name, *short_name, *why;
  };
  static constexpr Owned kOwned[] = {
      {"--array", "-a", "the executor sets the array (use --jobs N)"},
      {"--output", "-o", "the executor writes each shard's log into the work directory (logs/)"},
      {"--error", "-e", "the executor keeps each shard's errors in its log (logs/), to show them when it fails"},
      {"--chdir", "-D", "the tasks run in the work directory (use --workdir)"},
      {"--wrap", nullptr, "the executor submits its own job script"},
      {"--test-only", nullptr, "the executor asks sbatch --test-only itself before it submits"},
      {"--parsable", nullptr, "the executor reads the job id with --parsable itself"},
  };
  for (const Owned& o : kOwned) {
    const std::string long_name = o.long_name;
    if (arg == long_name || arg.starts_with(long_name + "=")) return o.why;
    if (o.short_name && arg.starts_with(o.short_name)) return o.why;  // "-o", or "-ofile"
  }
  return nullptr;
}

fs::path own_executable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's own path (/proc/self/exe): " + ec.message());
  return self;
}

std::string default_workdir_name() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  return fmt::format("loadlab-sweep-{}-{}", stamp, getpid());
}

// Waits `period`, but returns early (true) on Ctrl-C.
bool sleep_or_interrupt(std::chrono::milliseconds period) {
  const auto until = Clock::now() + period;
  while (Clock::now() < until) {
    if (interrupted()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return interrupted();
}

// The board on stderr: on a terminal one line rewritten in place with the elapsed time and an
// ETA; elsewhere (a log file) one line each time a count changes.
class ProgressLine {
 public:
  ProgressLine(std::string job_id, bool terminal, bool quiet)
      : job_id_(std::move(job_id)), terminal_(terminal), quiet_(quiet), start_(Clock::now()) {}
  void show(const SlurmShardBoard& board) {
    if (quiet_) return;
    const std::string counts = fmt::format("Slurm job {}: {}", job_id_, board.counts());
    if (!terminal_) {
      if (counts != last_) fmt::print(stderr, "{}\n", counts);
      last_ = counts;
      return;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    fmt::print(stderr, "\r{}  elapsed {}  ETA {} ", counts, format_duration(elapsed),
               format_duration(board.eta_seconds(elapsed)));
    open_ = true;
  }
  // Ends the rewritten line, so what is printed next starts on a line of its own.
  void finish() {
    if (open_) fmt::print(stderr, "\n");
    open_ = false;
  }

 private:
  std::string job_id_;
  bool terminal_, quiet_, open_ = false;
  Clock::time_point start_;
  std::string last_;
};

std::string indented(const std::string& text) {
  std::string out = "    | ";
  for (char c : text) out += c == '\n' ? std::string("\n    | ") : std::string(1, c);
  return out;
}

std::string shard_list(const std::vector<std::size_t>& shards) {
  std::string out;
  for (std::size_t s : shards) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

}  // namespace

SlurmSweepExecutor::SlurmSweepExecutor(const SweepOptions& options) : options_(options) {
  if (options.jobs && *options.jobs == 0)
    throw ScenarioError("--jobs", "0: the sweep needs at least one Slurm task (shard)");
  if (options.shard)
    throw ScenarioError("--shard", "is what --executor slurm gives each task: leave it out (--jobs sets the shards)");
  if (!options.resume && !options.csv)
    throw ScenarioError("--csv", "--executor slurm merges the shards into one file: give --csv FILE");
  // Checked now, not when the cluster has done its work.
  for (const auto& [flag, file] :
       {std::pair{"--csv", options.csv}, {"--csv-runs", options.csv_runs}, {"--json", options.json}}) {
    if (!file) continue;
    const fs::path parent = fs::absolute(*file).parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec) || access(parent.c_str(), W_OK | X_OK) != 0)
      throw ScenarioError(flag, fmt::format("cannot write '{}': its directory '{}' does not exist or is not writable",
                                            *file, parent.string()));
  }
  for (const std::string& a : options.sbatch_args)
    if (const char* why = owned_sbatch_option(a)) throw ScenarioError("--sbatch-arg", fmt::format("'{}': {}", a, why));
  if (options.threads != 0)
    throw ScenarioError("--threads",
                        "with --executor slurm each task uses the CPUs Slurm gives it: "
                        "--sbatch-arg=--cpus-per-task=N");
  if (options.workdir && options.resume)
    throw ScenarioError("--workdir", "--resume DIR names the work directory: leave out --workdir");
  SlurmClient check_on_path;  // throws naming slurm-client when the commands are missing
}

namespace {

// One submission from a work directory, step by step: prepare (a new sweep, or what is left
// of one), submit, watch, and then cancel, report the failed shards, or merge.
class SlurmSweepRun {
 public:
  SlurmSweepRun(const SweepOptions& options, const SweepPlan& plan)
      : options_(options),
        plan_(plan),
        grid_(grid_size(plan.definition)),
        dir_(options.resume ? *options.resume : options.workdir.value_or(default_workdir_name())) {}

  // The submission and the shards to run; throws ScenarioError (exit 2) for bad input.
  void prepare() {
    if (options_.resume)
      prepare_resume();
    else
      prepare_new();
    assertions_ = parse_assertions(submission_.assertions);
    // Written again on --resume: the tasks run the loadlab-cli that submits them.
    try {
      dir_.write_file(dir_.job_script(),
                      slurm_job_script(own_executable(), dir_.root(), submission_.shards, plan_.base.clock,
                                       {!submission_.csv_runs.empty(), !submission_.json.empty()}));
      fs::permissions(dir_.job_script(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                             fs::perms::others_read | fs::perms::others_exec);
    } catch (const std::exception& e) {
      throw ScenarioError("--workdir", e.what());
    }
  }

  bool nothing_to_run() const { return to_run_.empty(); }

  // sbatch --test-only, then the submission; an exit code when it did not happen.
  std::optional<int> submit() {
    std::vector<std::string> args{"--array=" + slurm_array_list(to_run_), "--job-name=loadlab-sweep",
                                  "--chdir=" + dir_.root().string(), "--output=" + dir_.shard_log_pattern().string()};
    args.insert(args.end(), submission_.sbatch_args.begin(), submission_.sbatch_args.end());
    try {
      const std::optional<std::string> rejected = slurm_.check(args, dir_.job_script());
      if (interrupted()) {
        fmt::print(stderr, "loadlab-cli: interrupted before anything was submitted\n");
        return kInterrupted;
      }
      if (rejected) {
        fmt::print(stderr, "loadlab-cli: error: sbatch --test-only refused the job, nothing was submitted:\n{}\n",
                   indented(*rejected));
        return kBadInput;
      }
      job_id_ = slurm_.submit(args, dir_.job_script());
      submission_.jobs.push_back({job_id_, to_run_});
      dir_.write_file(dir_.submitted_file(), submission_to_json(submission_));
    } catch (const std::exception& e) {
      fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
      if (!job_id_.empty()) slurm_.cancel(job_id_, nullptr);  // nothing left running that nobody watches
      return kRuntimeError;
    }
    if (!options_.quiet)
      fmt::print(stderr,
                 "sweep: {} points × {} seeds as Slurm job {}: {} of {} shards submitted (array {}), work "
                 "directory {}\n",
                 grid_, plan_.definition.seeds, job_id_, to_run_.size(), submission_.shards, slurm_array_list(to_run_),
                 dir_.root().string());
    return std::nullopt;
  }

  enum class Watched { ended, interrupted, lost };

  // Polls squeue until every shard has ended, Ctrl-C, or squeue has failed for too long.
  Watched watch(SlurmShardBoard& board) {
    ProgressLine progress(job_id_, isatty(STDERR_FILENO), options_.quiet);
    auto poll = kFirstPoll;
    auto last_answer = Clock::now();
    std::string squeue_error;
    bool outage_told = false;
    while (true) {
      if (const auto queued = slurm_.queued_tasks(job_id_, &squeue_error)) {
        last_answer = Clock::now();
        outage_told = false;
        board.update(*queued, [&](std::size_t s) { return dir_.shard_finished(s); });
        progress.show(board);
        if (board.all_ended()) break;
      } else if (Clock::now() - last_answer > kSqueueOutage) {
        progress.finish();
        fmt::print(stderr,
                   "loadlab-cli: error: squeue has failed for {} minutes ({}); Slurm job {} may still run: "
                   "`loadlab-cli sweep --resume {}` picks it up once it has left the queue\n",
                   std::chrono::duration_cast<std::chrono::minutes>(kSqueueOutage).count(), squeue_error, job_id_,
                   dir_.root().string());
        return Watched::lost;
      } else if (!outage_told) {
        progress.finish();
        fmt::print(stderr, "sweep: squeue failed ({}); asking again\n", squeue_error);
        outage_told = true;
      }
      if (sleep_or_interrupt(poll)) {
        progress.finish();
        return Watched::interrupted;
      }
      poll = std::min(kLongestPoll, std::chrono::duration_cast<std::chrono::milliseconds>(poll * 3 / 2));
    }
    progress.finish();
    return Watched::ended;
  }

  // Ctrl-C: scancel, wait until the tasks have left the queue, say what had finished.
  int cancel() {
    std::string error;
    if (!slurm_.cancel(job_id_, &error)) fmt::print(stderr, "loadlab-cli: scancel {}: {}\n", job_id_, error);
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    bool gone = false;
    while (!gone && Clock::now() < deadline) {
      const auto queued = slurm_.queued_tasks(job_id_, nullptr);
      gone = queued && queued->empty();
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    const std::vector<std::size_t> left = dir_.unfinished_shards(submission_.shards);
    fmt::print(stderr,
               "loadlab-cli: interrupted: cancelled Slurm job {}{}; {} of {} shards had finished{}; no --csv "
               "written; `loadlab-cli sweep --resume {}` runs the other {}\n",
               job_id_, gone ? "" : " (some tasks are still leaving the queue)", submission_.shards - left.size(),
               submission_.shards,
               left.size() < submission_.shards ? fmt::format(" (kept in {})", dir_.shards_dir().string()) : "",
               dir_.root().string(), left.size());
    return kInterrupted;
  }

  // Each failed shard with its Slurm state (where sacct knows it) and its log's last lines.
  int report_failed(const std::vector<std::size_t>& failed) {
    for (std::size_t s : failed) {
      const std::string outcome = slurm_.task_outcome(job_id_, s);
      fmt::print(stderr, "loadlab-cli: shard {} failed (Slurm task {}_{}{}); the end of {}:\n{}\n", s, job_id_, s,
                 outcome.empty() ? "" : ", " + outcome, dir_.shard_log(s).string(),
                 indented(dir_.log_tail(s, kLogLines)));
    }
    fmt::print(stderr,
               "loadlab-cli: error: {} of {} shards failed ({}); no --csv written; `loadlab-cli sweep --resume "
               "{}` submits them again\n",
               failed.size(), submission_.shards, shard_list(failed), dir_.root().string());
    return kRuntimeError;
  }

  // Every shard done: the outputs merged (all of them, or none written), then --assert.
  int merge() {
    if (to_run_.empty() && !options_.quiet)
      fmt::print(stderr, "sweep: every shard in {} had finished: merging\n", dir_.root().string());
    auto shard_files = [&](fs::path (SweepWorkDirectory::*file)(std::size_t) const) {
      std::vector<std::string> files;
      for (std::size_t s = 0; s < submission_.shards; ++s) files.push_back((dir_.*file)(s).string());
      return files;
    };
    std::vector<SweepCsvMeans> means;
    try {
      const std::string merged = merge_sweep_csvs(shard_files(&SweepWorkDirectory::shard_csv));
      // merge finds holes between points, not a lost last point: count the rows too.
      const auto rows = static_cast<std::size_t>(std::count(merged.begin(), merged.end(), '\n')) - 1;
      if (rows != grid_)
        throw std::runtime_error(fmt::format("the shards hold {} points of the sweep's {}", rows, grid_));
      means = read_sweep_csv_means(merged);
      const std::string runs =
          submission_.csv_runs.empty() ? "" : merge_sweep_csvs(shard_files(&SweepWorkDirectory::shard_runs_csv));
      const std::string json =
          submission_.json.empty() ? "" : merge_sweep_jsons(shard_files(&SweepWorkDirectory::shard_json));
      write_file_atomically(submission_.csv, merged);
      if (!runs.empty()) write_file_atomically(submission_.csv_runs, runs);
      if (!json.empty()) write_file_atomically(submission_.json, json);
    } catch (const std::exception& e) {
      fmt::print(stderr, "loadlab-cli: error: merging the shards: {}\n", e.what());
      return kRuntimeError;
    }
    if (!options_.quiet) {
      fmt::print("wrote {} ({} points from {} shards)\n", submission_.csv, grid_, submission_.shards);
      if (!submission_.csv_runs.empty()) fmt::print("wrote {}\n", submission_.csv_runs);
      if (!submission_.json.empty()) fmt::print("wrote {}\n", submission_.json);
    }
    // The same verdicts the local executor gives, on the merged means.
    std::size_t failed = 0;
    for (const SweepCsvMeans& row : means)
      failed += report_failed_assertions(assertions_, row.means,
                                         describe_point(plan_.definition, grid_point(plan_.definition, row.point)));
    return failed > 0 ? kAssertionFailed : kOk;
  }

  SlurmShardBoard board() const { return SlurmShardBoard(submission_.shards, to_run_); }

  // Nothing was submitted: a work directory of the default name, made by this command for
  // this sweep, goes again (one the user named stays, for another try).
  void forget_unsubmitted() const {
    if (options_.workdir || options_.resume) return;
    std::error_code ignored;
    fs::remove_all(dir_.root(), ignored);
  }

 private:
  void prepare_new() {
    submission_.shards = std::min<std::size_t>(options_.jobs.value_or(kDefaultMaxShards), grid_);
    submission_.csv = fs::absolute(*options_.csv).string();
    if (options_.csv_runs) submission_.csv_runs = fs::absolute(*options_.csv_runs).string();
    if (options_.json) submission_.json = fs::absolute(*options_.json).string();
    submission_.sbatch_args = options_.sbatch_args;
    submission_.assertions = options_.assertions;
    dir_.create(plan_.base, plan_.definition);
    for (std::size_t s = 0; s < submission_.shards; ++s) to_run_.push_back(s);
    if (options_.quiet) return;
    for (const char* local : {"/tmp", "/var/tmp", "/dev/shm", "/run"})
      if (dir_.root() == local || dir_.root().string().starts_with(std::string(local) + "/"))
        fmt::print(stderr,
                   "sweep: note: the work directory {} is under {}, which is each machine's own: the tasks must "
                   "see it, so on more than one node give --workdir on shared storage\n",
                   dir_.root().string(), local);
    if (options_.jobs && *options_.jobs > grid_)
      fmt::print(stderr, "sweep: --jobs {} but the sweep has {} points: {} shards of one point each\n", *options_.jobs,
                 grid_, grid_);
  }

  void prepare_resume() {
    submission_ = load_submission(dir_);
    if (submission_.shards == 0 || submission_.shards > grid_)
      throw ScenarioError("--resume", fmt::format("{} says {} shards for a sweep of {} points",
                                                  dir_.submitted_file().string(), submission_.shards, grid_));
    for (const Submission::Job& job : submission_.jobs) {
      std::string error;
      const auto queued = slurm_.queued_tasks(job.id, &error);
      if (!queued) throw ScenarioError("--resume", "squeue: " + error);
      if (!queued->empty())
        throw ScenarioError("--resume", fmt::format("Slurm job {} of this sweep is still in the queue ({} tasks): "
                                                    "wait for it, or scancel {}",
                                                    job.id, queued->size(), job.id));
    }
    if (options_.csv) submission_.csv = fs::absolute(*options_.csv).string();
    // The shards that finished wrote only the outputs that were asked for at first.
    for (auto [flag, given, saved] : {std::tuple{"--csv-runs", &options_.csv_runs, &submission_.csv_runs},
                                      {"--json", &options_.json, &submission_.json}}) {
      if (!*given) continue;
      if (saved->empty())
        throw ScenarioError(flag,
                            "was not asked for when the sweep was submitted, so its finished shards did not "
                            "write it: run the sweep again with it");
      *saved = fs::absolute(**given).string();
    }
    // Later sbatch arguments win, so a new --time overrides the saved one.
    submission_.sbatch_args.insert(submission_.sbatch_args.end(), options_.sbatch_args.begin(),
                                   options_.sbatch_args.end());
    submission_.assertions.insert(submission_.assertions.end(), options_.assertions.begin(), options_.assertions.end());
    to_run_ = dir_.unfinished_shards(submission_.shards);
  }

  const SweepOptions& options_;
  const SweepPlan& plan_;
  const std::size_t grid_;
  const SlurmClient slurm_;
  const SweepWorkDirectory dir_;
  Submission submission_;
  std::vector<MetricAssertion> assertions_;
  std::vector<std::size_t> to_run_;
  std::string job_id_;
};

}  // namespace

int SlurmSweepExecutor::run(const SweepPlan& plan) {
  SlurmSweepRun sweep(options_, plan);
  try {
    sweep.prepare();
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }
  InterruptGuard interrupt_guard;
  if (!sweep.nothing_to_run()) {
    if (const std::optional<int> not_submitted = sweep.submit()) {
      sweep.forget_unsubmitted();
      return *not_submitted;
    }
    SlurmShardBoard board = sweep.board();
    switch (sweep.watch(board)) {
      case SlurmSweepRun::Watched::interrupted:
        return sweep.cancel();
      case SlurmSweepRun::Watched::lost:
        return kRuntimeError;
      case SlurmSweepRun::Watched::ended:
        break;
    }
    if (const std::vector<std::size_t> failed = board.shards_in(ShardState::failed); !failed.empty())
      return sweep.report_failed(failed);
  }
  return sweep.merge();
}

}  // namespace loadlab::cli
