#pragma once
// Where every shard of a sweep's Slurm array stands — pending, running, done or failed — from
// what squeue lists and which shards have a finished CSV, and the progress line that shows it.
// A shard that has left the queue is done when its CSV is there; without one it is failed,
// but only on the second look in a row: a shared file system can show a file written on
// another node a moment late.
#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "slurm_client.h"

namespace loadlab::cli {

enum class ShardState { pending, running, done, failed };

class SlurmShardBoard {
 public:
  // `submitted`: the shards of this submission; the others finished earlier (--resume).
  SlurmShardBoard(std::size_t shards, std::vector<std::size_t> submitted);

  void update(const std::map<std::size_t, SlurmTaskState>& queued, const std::function<bool(std::size_t)>& finished);

  ShardState state(std::size_t shard) const { return states_.at(shard); }
  bool all_ended() const;
  std::size_t count(ShardState state) const;
  std::vector<std::size_t> shards_in(ShardState state) const;
  // "1 pending, 2 running, 5 done, 0 failed of 8 shards"
  std::string counts() const;
  // Seconds left at the pace of this submission's shards so far (NaN before the first ends).
  double eta_seconds(double elapsed_seconds) const;

 private:
  std::vector<ShardState> states_;
  std::vector<std::size_t> submitted_;
  std::set<std::size_t> missing_once_;
};

}  // namespace loadlab::cli
