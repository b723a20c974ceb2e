#pragma once
// Runs a sweep's points, every point once per seed, on a pool of threads: each worker takes
// the next (point, replication) in grid order, so points run in parallel and a slow point
// does not hold the others up. Each run is a pure function of its scenario and seed, and the
// results are kept by position, so what the sweep reports does not depend on the thread
// count, the shard, or which worker ran what.
//
// Virtual clock: each run is a Simulator driven to its end on the worker's thread. Real
// clock: the real engine, one run at a time (it needs the cores for its own threads).
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "scenario/scenario.h"
#include "sweep/replication_stats.h"
#include "sweep/run_metrics.h"
#include "sweep/sweep_definition.h"

namespace loadlab {

class Run;

struct PointResult {
  SweepPoint point;
  std::vector<std::uint64_t> seeds;   // one per replication
  std::vector<RunMetricValues> runs;  // one per replication, in seed order
  std::array<ReplicationSummary, kRunMetricCount> summary;
  double warmup_s = 0;  // left out of every run of the point (found by MSER-5 with --warmup auto)
  // --precision: whether every requested metric reached it, and which did not.
  bool converged = true;
  std::vector<std::string> not_converged;
};

struct SweepProgress {
  std::size_t runs_done = 0, runs_total = 0;
  std::size_t points_done = 0, points_total = 0;
};

class SweepRunner {
 public:
  // `points` from plan_sweep(). `threads` 0: all cores. The real clock always uses one.
  SweepRunner(Scenario base, SweepDefinition definition, std::vector<SweepPoint> points, unsigned threads);
  ~SweepRunner();
  SweepRunner(const SweepRunner&) = delete;
  SweepRunner& operator=(const SweepRunner&) = delete;

  // Called on a worker thread, one call at a time, when a point's last replication is done
  // (in the order points finish, which need not be grid order) and after every run.
  void on_point(std::function<void(const PointResult&)> callback);
  void on_progress(std::function<void(const SweepProgress&)> callback);

  // Runs until every point is done or cancel() is called; returns the finished points in
  // grid order. A point with a replication still running at cancel() is dropped whole.
  std::vector<PointResult> run();
  // Any thread, any number of times: no new run starts, running ones stop at once.
  void cancel();
  bool cancelled() const { return cancelled_.load(); }
  unsigned threads() const { return threads_; }

 private:
  void work();
  void run_one(std::size_t unit);
  void find_warmups();                            // --warmup auto: one first pass per point, in parallel
  void run_precise(std::size_t p);                // --precision: one point's replications, until its target
  void publish_progress();                        // the callback with progress_, outside mutex_
  PointResult point_result(std::size_t p) const;  // under mutex_

  Scenario base_;
  SweepDefinition definition_;
  std::vector<SweepPoint> points_;
  unsigned threads_;
  std::function<void(const PointResult&)> on_point_;
  std::function<void(const SweepProgress&)> on_progress_;

  std::atomic<std::size_t> next_unit_{0};
  std::atomic<bool> cancelled_{false};
  std::mutex callback_mutex_;  // one callback at a time
  std::mutex mutex_;           // guards what follows
  std::vector<std::vector<RunMetricValues>> runs_;
  std::vector<std::size_t> replications_done_;
  std::vector<bool> point_done_;
  std::vector<double> warmups_;  // per point
  // --precision, per point: replications done and estimated in all (0: not started), and the
  // outcome once it is finished.
  std::vector<std::size_t> precise_done_, precise_estimate_;
  std::vector<std::vector<std::string>> not_converged_;
  std::vector<Run*> active_;  // runs in progress, so cancel() can stop them
  SweepProgress progress_;
};

// A point's summary from its runs.
std::array<ReplicationSummary, kRunMetricCount> summarize_point(const std::vector<RunMetricValues>& runs);

}  // namespace loadlab
