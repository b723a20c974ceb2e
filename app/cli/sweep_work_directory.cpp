#include "sweep_work_directory.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include "scenario/scenario_json.h"
#include "sweep/sweep_definition_file.h"

namespace loadlab::cli {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& file, const std::string& text) {
  const fs::path temporary = file.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw std::runtime_error(fmt::format("cannot write '{}'", file.string()));
    }
  }
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw std::runtime_error(fmt::format("cannot write '{}': {}", file.string(), ec.message()));
  }
}

SweepWorkDirectory::SweepWorkDirectory(const fs::path& root) {
  std::error_code ec;
  root_ = fs::absolute(root, ec);
  if (ec) root_ = root;
  root_ = root_.lexically_normal();
  if (root_.filename().empty()) root_ = root_.parent_path();  // "dir/" names "dir"
}

fs::path SweepWorkDirectory::shard_csv(std::size_t shard) const {
  return shards_dir() / fmt::format("shard-{}.csv", shard);
}

fs::path SweepWorkDirectory::shard_runs_csv(std::size_t shard) const {
  return shards_dir() / fmt::format("shard-{}.runs.csv", shard);
}

fs::path SweepWorkDirectory::shard_json(std::size_t shard) const {
  return shards_dir() / fmt::format("shard-{}.json", shard);
}

fs::path SweepWorkDirectory::shard_log(std::size_t shard) const {
  return logs_dir() / fmt::format("shard-{}.log", shard);
}

void SweepWorkDirectory::create(const Scenario& scenario, const SweepDefinition& definition) const {
  const std::string where = root_.string();
  std::error_code ec;
  if (fs::exists(submitted_file(), ec))
    throw ScenarioError("--workdir", fmt::format("'{}' already holds a submitted sweep: continue it with --resume {}, "
                                                 "or give another --workdir",
                                                 where, where));
  for (const fs::path& dir : {root_, shards_dir(), logs_dir()}) {
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
      throw ScenarioError("--workdir", fmt::format("cannot create the directory '{}': {}", dir.string(),
                                                   ec ? ec.message() : "a file of that name is in the way"));
  }
  if (access(root_.c_str(), W_OK | X_OK) != 0)
    throw ScenarioError("--workdir", fmt::format("cannot write in '{}': {}", where, std::strerror(errno)));
  try {
    write_file(scenario_file(), scenario_to_json(scenario));
    write_file(definition_file(), sweep_definition_to_json(definition));
  } catch (const std::runtime_error& e) {
    throw ScenarioError("--workdir", e.what());
  }
}

void SweepWorkDirectory::write_file(const fs::path& file, const std::string& text) const {
  write_file_atomically(file, text);
}

bool SweepWorkDirectory::shard_finished(std::size_t shard) const {
  std::error_code ec;
  return fs::is_regular_file(shard_csv(shard), ec);
}

std::vector<std::size_t> SweepWorkDirectory::unfinished_shards(std::size_t shards) const {
  std::vector<std::size_t> left;
  for (std::size_t i = 0; i < shards; ++i)
    if (!shard_finished(i)) left.push_back(i);
  return left;
}

std::string SweepWorkDirectory::log_tail(std::size_t shard, std::size_t lines) const {
  std::ifstream in(shard_log(shard));
  if (!in) return "(no log: " + shard_log(shard).string() + ")";
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  if (tail.empty()) return "(the log is empty)";
  std::string text;
  for (const std::string& l : tail) text += (text.empty() ? "" : "\n") + l;
  return text;
}

}  // namespace loadlab::cli
