#include "local_sweep_executor.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "cli_app.h"
#include "duration_text.h"
#include "run_command.h"
#include "sweep/precision_runner.h"
#include "sweep/sweep_csv.h"
#include "sweep/sweep_runner.h"

namespace loadlab::cli {
namespace {

// How long one run lasts on the real clock: its duration, or its requests at its rate.
double real_run_seconds(const Scenario& s) {
  const Workload& w = s.workload;
  double t = w.duration_s;
  if (w.requests > 0 && w.mode == Workload::Mode::open && w.rate > 0) {
    const double by_requests = static_cast<double>(w.requests) / w.rate;
    t = t > 0 ? std::min(t, by_requests) : by_requests;
  }
  return t;
}

// "[#########.........]  45/120 points  ETA 1m20s" on one terminal line.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(const SweepProgress& p) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.runs_done != p.runs_total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double done = p.runs_total ? static_cast<double>(p.runs_done) / static_cast<double>(p.runs_total) : 1.0;
    const double eta = p.runs_done ? elapsed * (1 - done) / done : std::nan("");
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(done * kWidth);
    fmt::print(stderr, "\r[{}{}] {}/{} points  {}/{} runs  elapsed {}  ETA {} ", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), p.points_done, p.points_total, p.runs_done, p.runs_total,
               format_duration(elapsed), format_duration(eta));
  }
  void finish() {
    if (enabled_) fmt::print(stderr, "\r{:100}\r", "");
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_{};
};

void print_points(const SweepDefinition& d, const std::vector<PointResult>& points) {
  const std::size_t thr = run_metric_index("throughput_rps"), mean = run_metric_index("mean_us"),
                    p99 = run_metric_index("p99_us"), hit = run_metric_index("hit_ratio"),
                    theory = run_metric_index("theory_mean_us");
  std::string header;
  for (const SweepParameter& p : d.parameters) header += fmt::format("{:>14} ", p.name);
  fmt::print("{}{:>12} {:>22} {:>22} {:>9} {:>11}\n", header, "req/s", "mean us (±95%)", "p99 us (±95%)", "hit",
             "theory us");
  auto with_ci = [](const ReplicationSummary& s) {
    return std::isnan(s.ci95) ? format_figure(s.mean) : fmt::format("{:.0f} ± {:.0f}", s.mean, s.ci95);
  };
  for (const PointResult& r : points) {
    std::string row;
    for (const ParameterValue& v : r.point.values) row += fmt::format("{:>14} ", v.text);
    fmt::print("{}{:>12.0f} {:>22} {:>22} {:>9} {:>11}\n", row, r.summary[thr].mean, with_ci(r.summary[mean]),
               with_ci(r.summary[p99]),
               std::isnan(r.summary[hit].mean) ? std::string("-") : fmt::format("{:.1f}%", 100 * r.summary[hit].mean),
               std::isnan(r.summary[theory].mean) ? std::string("-") : fmt::format("{:.0f}", r.summary[theory].mean));
  }
}

}  // namespace

LocalSweepExecutor::LocalSweepExecutor(const SweepOptions& options) : options_(options) {
  const char* slurm_only = options.jobs                   ? "--jobs"
                           : !options.sbatch_args.empty() ? "--sbatch-arg"
                           : options.workdir              ? "--workdir"
                           : options.resume               ? "--resume"
                                                          : nullptr;
  if (slurm_only)
    throw ScenarioError(slurm_only, "is for --executor slurm (the local executor runs here, on --threads)");
}

int LocalSweepExecutor::run(const SweepPlan& plan) {
  const Scenario& base = plan.base;
  const SweepDefinition& definition = plan.definition;
  const std::vector<SweepPoint>& points = plan.points;
  SweepRunner runner(base, definition, points, options_.threads);
  const std::size_t runs = points.size() * definition.seeds;
  if (!options_.quiet && definition.precision) {
    // issue 20: each point runs replications until its intervals are narrow enough.
    fmt::print(stderr,
               "sweep: {} points, each until ±{:g}% (at least {} and at most {} seeds, the same seeds at every "
               "point) on the virtual clock, {} thread{}\n",
               points.size(), 100 * definition.precision->precision,
               std::min(kPrecisionMinSeeds, definition.precision->max_seeds), definition.precision->max_seeds,
               runner.threads(), runner.threads() == 1 ? "" : "s");
  } else if (!options_.quiet) {
    fmt::print(stderr, "sweep: {} points{} × {} seeds = {} runs on the {} clock, {} thread{}\n", points.size(),
               plan.shard.count > 1
                   ? fmt::format(" (shard {}/{} of {})", plan.shard.index, plan.shard.count, grid_size(definition))
                   : "",
               definition.seeds, runs, base.clock == Scenario::Clock::real ? "real" : "virtual", runner.threads(),
               runner.threads() == 1 ? "" : "s");
    if (base.clock == Scenario::Clock::real) {
      double total = 0;
      for (const SweepPoint& p : points) total += real_run_seconds(point_scenario(base, definition, p, 0));
      total *= definition.seeds;
      fmt::print(stderr,
                 "sweep: on real threads one run at a time: this will take about {} (runs end by their "
                 "--requests or --duration; the virtual clock does the same in seconds)\n",
                 format_duration(total));
    }
  }

  ProgressBar bar(!options_.quiet && isatty(STDERR_FILENO));
  std::mutex bar_mutex;
  runner.on_progress([&](const SweepProgress& p) {
    std::lock_guard lock(bar_mutex);
    bar.update(p);
  });
  InterruptGuard interrupt_guard;
  std::atomic<bool> done{false};
  // The signal handler only sets a flag; this thread turns it into a clean stop.
  std::thread watcher([&] {
    while (!done.load()) {
      if (interrupted()) {
        runner.cancel();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<PointResult> results = runner.run();
  done.store(true);
  watcher.join();
  bar.finish();
  const bool was_interrupted = runner.cancelled();
  if (was_interrupted)
    fmt::print(stderr, "loadlab-cli: interrupted: {} of {} points finished and kept\n", results.size(), points.size());

  try {
    if (options_.csv) write_sweep_csv(*options_.csv, definition, results);
    if (options_.csv_runs) write_sweep_runs_csv(*options_.csv_runs, definition, results);
    if (options_.json) write_sweep_json(*options_.json, definition, results);
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kRuntimeError;
  }
  if (!options_.quiet) {
    print_points(definition, results);
    if (options_.csv) fmt::print("wrote {}\n", *options_.csv);
    if (options_.csv_runs) fmt::print("wrote {}\n", *options_.csv_runs);
    if (options_.json) fmt::print("wrote {}\n", *options_.json);
  }
  std::size_t imprecise = 0;
  for (const PointResult& r : results)
    if (!r.converged) {
      ++imprecise;
      std::string names;
      for (const std::string& n : r.not_converged) names += (names.empty() ? "" : ", ") + n;
      fmt::print(stderr, "loadlab-cli: warning: at {}: not converged after {} seeds: {}\n",
                 describe_point(definition, r.point), r.runs.size(), names);
    }
  if (was_interrupted) return kInterrupted;
  std::size_t failed = 0;
  for (const PointResult& r : results) {
    RunMetricValues means;
    for (std::size_t m = 0; m < kRunMetricCount; ++m) means[m] = r.summary[m].mean;
    failed += report_failed_assertions(plan.assertions, means, describe_point(definition, r.point));
    if (!r.converged && !plan.assertions.empty() && !options_.precision.allow_imprecise) {
      fmt::print(stderr, "assertion failed: precision not reached at {} (--allow-imprecise accepts it)\n",
                 describe_point(definition, r.point));
      ++failed;
    }
  }
  return failed > 0 ? kAssertionFailed : kOk;
}

}  // namespace loadlab::cli
