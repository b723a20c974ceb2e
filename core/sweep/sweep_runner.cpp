#include "sweep/sweep_runner.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "launch/make_run.h"
#include "sim/simulator.h"

namespace loadlab {

std::array<ReplicationSummary, kRunMetricCount> summarize_point(const std::vector<RunMetricValues>& runs) {
  std::array<ReplicationSummary, kRunMetricCount> summary;
  std::vector<double> column(runs.size());
  for (std::size_t m = 0; m < kRunMetricCount; ++m) {
    for (std::size_t r = 0; r < runs.size(); ++r) column[r] = runs[r][m];
    summary[m] = summarize_replications(column);
  }
  return summary;
}

SweepRunner::SweepRunner(Scenario base, SweepDefinition definition, std::vector<SweepPoint> points, unsigned threads)
    : base_(std::move(base)), definition_(std::move(definition)), points_(std::move(points)) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (base_.clock == Scenario::Clock::real) threads = 1;
  threads_ = threads;
  runs_.assign(points_.size(), std::vector<RunMetricValues>(definition_.seeds));
  replications_done_.assign(points_.size(), 0);
  point_done_.assign(points_.size(), false);
  progress_.points_total = points_.size();
  progress_.runs_total = points_.size() * definition_.seeds;
}

SweepRunner::~SweepRunner() = default;

void SweepRunner::on_point(std::function<void(const PointResult&)> callback) { on_point_ = std::move(callback); }
void SweepRunner::on_progress(std::function<void(const SweepProgress&)> callback) {
  on_progress_ = std::move(callback);
}

void SweepRunner::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_.store(true);
  for (Run* run : active_) run->request_stop();
}

std::vector<PointResult> SweepRunner::run() {
  std::vector<std::thread> workers;
  const std::size_t units = points_.size() * definition_.seeds;
  const unsigned n = static_cast<unsigned>(std::min<std::size_t>(threads_, std::max<std::size_t>(units, 1)));
  for (unsigned i = 1; i < n; ++i) workers.emplace_back([this] { work(); });
  work();  // the caller's thread is a worker too
  for (std::thread& t : workers) t.join();
  std::vector<PointResult> results;
  for (std::size_t p = 0; p < points_.size(); ++p) {
    if (!point_done_[p]) continue;
    PointResult r;
    r.point = points_[p];
    for (std::size_t k = 0; k < definition_.seeds; ++k) r.seeds.push_back(replication_seed(base_.seed, k));
    r.runs = runs_[p];
    r.summary = summarize_point(r.runs);
    results.push_back(std::move(r));
  }
  return results;
}

void SweepRunner::work() {
  const std::size_t units = points_.size() * definition_.seeds;
  while (!cancelled_.load()) {
    const std::size_t unit = next_unit_.fetch_add(1);
    if (unit >= units) return;
    run_one(unit);
  }
}

void SweepRunner::run_one(std::size_t unit) {
  const std::size_t p = unit / definition_.seeds, k = unit % definition_.seeds;
  const Scenario scenario = point_scenario(base_, definition_, points_[p], k);
  TickFigures ticks(scenario.warmup_s);
  std::unique_ptr<Run> run;
  Simulator* sim = nullptr;
  if (scenario.clock == Scenario::Clock::virtual_time) {
    auto s = std::make_unique<Simulator>(scenario);
    sim = s.get();
    run = std::move(s);
  } else {
    run = make_run(scenario);
  }
  run->subscribe([&ticks](const Snapshot& s) { ticks.add(s); });
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.load()) return;
    active_.push_back(run.get());
  }
  RunReport report;
  if (sim) {
    report = sim->run_to_end();
  } else {
    run->start();
    run->wait();
    report = run->report();
  }
  const RunMetricValues metrics = compute_run_metrics(scenario, report, ticks);
  std::optional<PointResult> finished;
  SweepProgress progress;
  {
    std::lock_guard lock(mutex_);
    active_.erase(std::find(active_.begin(), active_.end(), run.get()));
    if (cancelled_.load()) return;  // stopped early: not a result
    runs_[p][k] = metrics;
    ++progress_.runs_done;
    if (++replications_done_[p] == definition_.seeds) {
      point_done_[p] = true;
      ++progress_.points_done;
      if (on_point_) {
        finished.emplace();
        finished->point = points_[p];
        for (std::size_t j = 0; j < definition_.seeds; ++j) finished->seeds.push_back(replication_seed(base_.seed, j));
        finished->runs = runs_[p];
        finished->summary = summarize_point(finished->runs);
      }
    }
    progress = progress_;
  }
  // Outside the state lock, so a callback may call cancel(); one callback at a time.
  std::lock_guard lock(callback_mutex_);
  if (finished) on_point_(*finished);
  if (on_progress_) on_progress_(progress);
}

}  // namespace loadlab
