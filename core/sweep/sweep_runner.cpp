#include "sweep/sweep_runner.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "launch/make_run.h"
#include "sim/simulator.h"
#include "sweep/precision_runner.h"
#include "sweep/warmup_finder.h"

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
  warmups_.assign(points_.size(), definition_.warmup_s);
  progress_.points_total = points_.size();
  progress_.runs_total = points_.size() * definition_.seeds;
  if (definition_.precision) {
    precise_done_.assign(points_.size(), 0);
    precise_estimate_.assign(points_.size(), 0);
    not_converged_.assign(points_.size(), {});
    for (auto& r : runs_) r.clear();
    progress_.runs_total = points_.size() * std::min(kPrecisionMinSeeds, definition_.precision->max_seeds);
  }
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

PointResult SweepRunner::point_result(std::size_t p) const {
  PointResult r;
  r.point = points_[p];
  for (std::size_t k = 0; k < runs_[p].size(); ++k) r.seeds.push_back(replication_seed(base_.seed, k));
  r.runs = runs_[p];
  r.summary = summarize_point(r.runs);
  r.warmup_s = warmups_[p];
  if (definition_.precision) {
    r.not_converged = not_converged_[p];
    r.converged = r.not_converged.empty();
  }
  return r;
}

void SweepRunner::run_precise(std::size_t p) {
  Scenario scenario = point_scenario(base_, definition_, points_[p], 0);  // replication 0's seed: CRN
  scenario.warmup_s = warmups_[p];
  PrecisionHooks hooks;
  hooks.cancel = &cancelled_;
  hooks.on_progress = [this, p](std::size_t done, std::size_t estimate) {
    {
      std::lock_guard lock(mutex_);
      precise_done_[p] = done;
      precise_estimate_[p] = std::max(estimate, done);
      // The ETA: what the points started so far need on average, for the ones not started.
      std::size_t started = 0, sum_done = 0, sum_estimate = 0;
      for (std::size_t i = 0; i < points_.size(); ++i)
        if (precise_estimate_[i] > 0) ++started, sum_done += precise_done_[i], sum_estimate += precise_estimate_[i];
      progress_.runs_done = sum_done;
      const std::size_t guess = started ? (sum_estimate + started - 1) / started : 0;
      progress_.runs_total = sum_estimate + (points_.size() - started) * guess;
    }
    publish_progress();
  };
  PrecisionOutcome outcome = run_to_precision(scenario, *definition_.precision, 1, hooks);
  std::optional<PointResult> finished;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.load()) return;  // stopped early: not a result
    runs_[p] = std::move(outcome.runs);
    not_converged_[p] = outcome.not_converged();
    point_done_[p] = true;
    ++progress_.points_done;
    if (on_point_) finished = point_result(p);
  }
  if (finished) {
    std::lock_guard lock(callback_mutex_);
    on_point_(*finished);
  }
  publish_progress();
}

void SweepRunner::publish_progress() {
  SweepProgress progress;
  {
    std::lock_guard lock(mutex_);
    progress = progress_;
  }
  std::lock_guard lock(callback_mutex_);
  if (on_progress_) on_progress_(progress);
}

void SweepRunner::find_warmups() {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    while (!cancelled_.load()) {
      const std::size_t p = next.fetch_add(1);
      if (p >= points_.size()) return;
      // The average of ten pilot runs' series with the point's first replication seeds.
      const double w = find_warmup(point_scenario(base_, definition_, points_[p], 0), kWarmupPilots).warmup_s;
      std::lock_guard lock(mutex_);
      warmups_[p] = w;
    }
  };
  std::vector<std::thread> workers;
  const unsigned n = static_cast<unsigned>(std::min<std::size_t>(threads_, std::max<std::size_t>(points_.size(), 1)));
  for (unsigned i = 1; i < n; ++i) workers.emplace_back(worker);
  worker();
  for (std::thread& t : workers) t.join();
}

std::vector<PointResult> SweepRunner::run() {
  if (definition_.warmup_auto) find_warmups();
  std::vector<std::thread> workers;
  const std::size_t units = definition_.precision ? points_.size() : points_.size() * definition_.seeds;
  const unsigned n = static_cast<unsigned>(std::min<std::size_t>(threads_, std::max<std::size_t>(units, 1)));
  for (unsigned i = 1; i < n; ++i) workers.emplace_back([this] { work(); });
  work();  // the caller's thread is a worker too
  for (std::thread& t : workers) t.join();
  std::vector<PointResult> results;
  for (std::size_t p = 0; p < points_.size(); ++p) {
    if (!point_done_[p]) continue;
    results.push_back(point_result(p));
  }
  return results;
}

void SweepRunner::work() {
  if (definition_.precision) {  // a unit is a whole point: it runs as long as it needs
    while (!cancelled_.load()) {
      const std::size_t p = next_unit_.fetch_add(1);
      if (p >= points_.size()) return;
      run_precise(p);
    }
    return;
  }
  const std::size_t units = points_.size() * definition_.seeds;
  while (!cancelled_.load()) {
    const std::size_t unit = next_unit_.fetch_add(1);
    if (unit >= units) return;
    run_one(unit);
  }
}

void SweepRunner::run_one(std::size_t unit) {
  const std::size_t p = unit / definition_.seeds, k = unit % definition_.seeds;
  Scenario scenario = point_scenario(base_, definition_, points_[p], k);
  scenario.warmup_s = warmups_[p];  // written before the workers started (find_warmups)
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
      if (on_point_) finished = point_result(p);
    }
    progress = progress_;
  }
  // Outside the state lock, so a callback may call cancel(); one callback at a time.
  std::lock_guard lock(callback_mutex_);
  if (finished) on_point_(*finished);
  if (on_progress_) on_progress_(progress);
}

}  // namespace loadlab
