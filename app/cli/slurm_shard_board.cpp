#include "slurm_shard_board.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace loadlab::cli {
namespace {

bool ended(ShardState s) { return s == ShardState::done || s == ShardState::failed; }

}  // namespace

SlurmShardBoard::SlurmShardBoard(std::size_t shards, std::vector<std::size_t> submitted)
    : states_(shards, ShardState::done), submitted_(std::move(submitted)) {
  for (std::size_t s : submitted_) states_.at(s) = ShardState::pending;
}

void SlurmShardBoard::update(const std::map<std::size_t, SlurmTaskState>& queued,
                             const std::function<bool(std::size_t)>& finished) {
  for (std::size_t s : submitted_) {
    if (ended(states_[s])) continue;
    if (auto q = queued.find(s); q != queued.end()) {
      states_[s] = q->second == SlurmTaskState::pending ? ShardState::pending : ShardState::running;
      missing_once_.erase(s);
    } else if (finished(s)) {
      states_[s] = ShardState::done;
    } else if (!missing_once_.insert(s).second) {
      states_[s] = ShardState::failed;
    }
  }
}

bool SlurmShardBoard::all_ended() const { return std::all_of(states_.begin(), states_.end(), ended); }

std::size_t SlurmShardBoard::count(ShardState state) const {
  return static_cast<std::size_t>(std::count(states_.begin(), states_.end(), state));
}

std::vector<std::size_t> SlurmShardBoard::shards_in(ShardState state) const {
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s < states_.size(); ++s)
    if (states_[s] == state) out.push_back(s);
  return out;
}

std::string SlurmShardBoard::counts() const {
  return fmt::format("{} pending, {} running, {} done, {} failed of {} shards", count(ShardState::pending),
                     count(ShardState::running), count(ShardState::done), count(ShardState::failed), states_.size());
}

double SlurmShardBoard::eta_seconds(double elapsed_seconds) const {
  // Shards finished before this submission took no time now: only this one's count.
  std::size_t ended_now = 0;
  for (std::size_t s : submitted_) ended_now += ended(states_[s]);
  if (ended_now == 0) return std::nan("");
  return elapsed_seconds / static_cast<double>(ended_now) * static_cast<double>(submitted_.size() - ended_now);
}

}  // namespace loadlab::cli
