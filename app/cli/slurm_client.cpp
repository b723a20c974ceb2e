#include "slurm_client.h"

#include <fmt/format.h>

#include <sstream>

#include "base/child_process.h"
#include "scenario/scenario.h"

namespace loadlab::cli {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text;
}

// What a failed command said: its standard error, else its output, else its exit status.
std::string complaint(const ProgramResult& r) {
  if (r.timed_out) return "did not answer in time";
  std::string text = trimmed(r.err);
  if (text.empty()) text = trimmed(r.out);
  if (text.empty()) text = r.exit_code < 0 ? "killed by a signal" : fmt::format("exit code {}", r.exit_code);
  return text;
}

std::vector<std::string> sbatch_command(const std::filesystem::path& sbatch, const std::vector<std::string>& args,
                                        const std::filesystem::path& script, bool test_only) {
  std::vector<std::string> argv{sbatch.string(), "--parsable"};
  if (test_only) argv.emplace_back("--test-only");
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(script.string());
  return argv;
}

}  // namespace

std::map<std::size_t, SlurmTaskState> parse_squeue_tasks(const std::string& squeue_output, const std::string& job_id) {
  std::map<std::size_t, SlurmTaskState> tasks;
  std::istringstream in(squeue_output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string job, index, state;
    if (!(fields >> job >> index >> state) || job != job_id) continue;
    std::size_t k = 0;
    try {
      std::size_t used = 0;
      k = std::stoul(index, &used);
      if (used != index.size()) continue;
    } catch (const std::exception&) {
      continue;  // "N/A": not an array task
    }
    const bool waiting = state == "PD" || state == "CF" || state == "RQ" || state == "RS" || state == "RH";
    tasks[k] = waiting ? SlurmTaskState::pending : SlurmTaskState::running;
  }
  return tasks;
}

std::string slurm_array_list(const std::vector<std::size_t>& indexes) {
  std::string list;
  for (std::size_t i = 0; i < indexes.size();) {
    std::size_t j = i;
    while (j + 1 < indexes.size() && indexes[j + 1] == indexes[j] + 1) ++j;
    if (!list.empty()) list += ",";
    list += j == i ? std::to_string(indexes[i]) : fmt::format("{}-{}", indexes[i], indexes[j]);
    i = j + 1;
  }
  return list;
}

SlurmClient::SlurmClient() {
  for (auto [name, path] : {std::pair{"sbatch", &sbatch_}, {"squeue", &squeue_}, {"scancel", &scancel_}}) {
    const auto found = find_on_path(name);
    if (!found)
      throw ScenarioError("--executor", fmt::format("slurm needs '{}', which is not on PATH: install the Slurm client "
                                                    "commands (Debian/Ubuntu package slurm-client)",
                                                    name));
    *path = *found;
  }
}

std::optional<std::string> SlurmClient::check(const std::vector<std::string>& sbatch_args,
                                              const std::filesystem::path& script) const {
  const ProgramResult r = run_program(sbatch_command(sbatch_, sbatch_args, script, true));
  if (r.ok()) return std::nullopt;
  return complaint(r);
}

std::string SlurmClient::submit(const std::vector<std::string>& sbatch_args,
                                const std::filesystem::path& script) const {
  const ProgramResult r = run_program(sbatch_command(sbatch_, sbatch_args, script, false));
  if (!r.ok()) throw std::runtime_error("sbatch: " + complaint(r));
  // --parsable prints "JOBID" or "JOBID;CLUSTER".
  std::string id = trimmed(r.out);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error(fmt::format("sbatch printed no job id (it said: {})", trimmed(r.out + r.err)));
  return id;
}

std::optional<std::map<std::size_t, SlurmTaskState>> SlurmClient::queued_tasks(const std::string& job_id,
                                                                               std::string* error) const {
  const ProgramResult r = run_program(
      {squeue_.string(), "--noheader", "--array", "--jobs", job_id, "--format", "%F %K %t"}, std::chrono::seconds(60));
  if (!r.ok()) {
    // Once a job has ended and aged out of the controller's memory, squeue calls its id invalid.
    if (r.err.find("Invalid job id") != std::string::npos) return std::map<std::size_t, SlurmTaskState>{};
    if (error) *error = complaint(r);
    return std::nullopt;
  }
  return parse_squeue_tasks(r.out, job_id);
}

bool SlurmClient::cancel(const std::string& job_id, std::string* error) const {
  const ProgramResult r = run_program({scancel_.string(), job_id}, std::chrono::seconds(60));
  if (!r.ok() && error) *error = complaint(r);
  return r.ok();
}

std::string SlurmClient::task_outcome(const std::string& job_id, std::size_t index) const {
  const auto sacct = find_on_path("sacct");
  if (!sacct) return "";
  try {
    const ProgramResult r = run_program({sacct->string(), "--noheader", "--parsable2", "--allocations", "--jobs",
                                         fmt::format("{}_{}", job_id, index), "--format", "State,ExitCode"},
                                        std::chrono::seconds(30));
    const std::string line = trimmed(r.out.substr(0, r.out.find('\n')));
    const std::size_t bar = line.find('|');
    if (!r.ok() || bar == std::string::npos) return "";
    return fmt::format("{}, exit code {}", line.substr(0, bar), line.substr(bar + 1));
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace loadlab::cli
