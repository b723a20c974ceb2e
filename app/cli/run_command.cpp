#include "run_command.h"

#include <fmt/format.h>

#include <unistd.h>
#include <atomic>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <cmath>
#include <nlohmann/json.hpp>
#include "cli_app.h"

#include "launch/make_run.h"
#include "metric_assertions.h"
#include "metrics/csv_export.h"
#include "precision_report.h"
#include "report_table.h"
#include "scenario/scenario_json.h"
#include "sweep/precision_runner.h"
#include "sweep/run_metrics.h"
#include "sweep/warmup_finder.h"
#include "theory/key_movement.h"

namespace loadlab::cli {
namespace {

// Set by the signal handler and read by other threads (a sweep's progress line): a lock-free
// atomic is both async-signal-safe and free of data races, where a volatile sig_atomic_t is
// only the first.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void on_signal(int) { g_interrupted.store(true); }

}  // namespace

InterruptGuard::InterruptGuard()
    : old_int_(std::make_unique<struct sigaction>()), old_term_(std::make_unique<struct sigaction>()) {
  g_interrupted.store(false);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, old_int_.get());
  sigaction(SIGTERM, &action, old_term_.get());
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, old_int_.get(), nullptr);
  sigaction(SIGTERM, old_term_.get(), nullptr);
}

bool interrupted() { return g_interrupted.load(); }

Scenario effective_scenario(const std::string& scenario_file, const ScenarioOverrides& overrides) {
  Scenario scenario;
  if (!scenario_file.empty())
    scenario = load_scenario(scenario_file);
  else
    scenario.nodes = default_nodes(3);
  overrides.apply(scenario, !scenario_file.empty());
  validate(scenario);
  if (scenario.workload.requests == 0 && scenario.workload.duration_s == 0)
    throw ScenarioError("workload.requests", "give --requests or --duration: a CLI run needs an end");
  return scenario;
}

RunResult execute(const Scenario& scenario, bool progress, bool keep_snapshots, bool report_drain) {
  const std::unique_ptr<Run> run = make_run(scenario);
  Run& engine = *run;
  std::mutex snapshots_mutex;
  RunResult result;
  // The drain, told from the snapshots (on the run's own clock: the same lines for the same
  // seed on the virtual clock): issuing is over once the request count is reached or the
  // duration is up.
  const Workload& w = scenario.workload;
  struct Drain {
    bool started = false;
    std::int64_t since_ms = 0, last_line_ms = 0;
    std::uint64_t backlog = 0;
  } drain;
  auto watch_drain = [&](const Snapshot& s) {
    const bool issued_all = (w.requests > 0 && s.issued >= w.requests) ||
                            (w.duration_s > 0 && static_cast<double>(s.t_ms) >= w.duration_s * 1000);
    if (!drain.started) {
      if (!issued_all || s.in_flight == 0 || s.final) return;
      drain.started = true;
      drain.backlog = s.in_flight;
      drain.since_ms = drain.last_line_ms = s.t_ms;
      fmt::print(stderr, "{}loadlab-cli: issuing ended at {:.1f} s with a backlog of {} requests; draining\n",
                 progress ? "\r\033[K" : "", static_cast<double>(s.t_ms) / 1000, drain.backlog);
      return;
    }
    if (s.final) {
      fmt::print(stderr, "{}loadlab-cli: drain: the backlog of {} took {:.1f} s ({:.1f} s to {:.1f} s){}\n",
                 progress ? "\r\033[K" : "", drain.backlog, static_cast<double>(s.t_ms - drain.since_ms) / 1000,
                 static_cast<double>(drain.since_ms) / 1000, static_cast<double>(s.t_ms) / 1000,
                 s.failed.cancelled > 0 ? fmt::format(", {} cancelled", s.failed.cancelled) : std::string());
      return;
    }
    if (s.t_ms - drain.last_line_ms < 1000) return;
    drain.last_line_ms = s.t_ms;
    // Rounded down: "100%" only once nothing is left.
    const double done = std::floor(100.0 * static_cast<double>(drain.backlog - std::min(drain.backlog, s.in_flight)) /
                                   static_cast<double>(std::max<std::uint64_t>(1, drain.backlog)));
    fmt::print(stderr, "{}loadlab-cli: drain: t={:.1f} s  {} left of {} ({:.0f}% drained)\n",
               progress ? "\r\033[K" : "", static_cast<double>(s.t_ms) / 1000, s.in_flight, drain.backlog, done);
  };
  // Only past saturation: below it, what is in flight at the end drains within milliseconds.
  report_drain = report_drain && predict_offered_load(scenario).overloaded();
  engine.subscribe([&](const Snapshot& s) {
    if (report_drain) watch_drain(s);
    std::lock_guard lock(snapshots_mutex);
    // Without a CSV to write only the newest is needed (for the progress line), so memory
    // stays flat however long the run.
    if (!keep_snapshots) result.snapshots.clear();
    result.snapshots.push_back(s);
  });
  InterruptGuard interrupt_guard;
  engine.start();
  auto last_progress = std::chrono::steady_clock::now();
  while (!engine.wait_for(std::chrono::milliseconds(50))) {
    if (g_interrupted) engine.request_stop();
    if (progress && std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(1)) {
      last_progress = std::chrono::steady_clock::now();
      std::lock_guard lock(snapshots_mutex);
      if (!result.snapshots.empty()) {
        const Snapshot& s = result.snapshots.back();
        fmt::print(stderr, "\r  t={:6.1f}s  completed {:>10}  in flight {:>6}  {:>9.0f} req/s ", s.t_ms / 1000.0,
                   s.completed, s.in_flight, s.rps);
      }
    }
  }
  if (progress) fmt::print(stderr, "\r{:80}\r", "");
  result.report = engine.report();
  result.node_names = engine.node_names();
  result.interrupted = g_interrupted.load();
  const RunReport& r = result.report;
  result.balanced = r.in_flight == 0 && r.issued == r.completed + r.failed.total();
  if (!result.balanced)
    fmt::print(
        stderr,
        "loadlab-cli: internal error: accounting does not balance (issued {}, completed {}, failed {}, in flight {})\n",
        r.issued, r.completed, r.failed.total(), r.in_flight);
  return result;
}

namespace {

// The run's figures for scripts: the same names as the sweep's columns and --assert.
void write_run_json(const std::string& file, const RunReport& r, const RunMetricValues& m, const OfferedLoad& load,
                    const PrecisionOutcome* precise, const PrecisionTarget* target) {
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["balancer"] = r.balancer;
  j["cache"] = r.cache_policy;
  j["seed"] = r.seed;
  j["issued"] = r.issued;
  j["completed"] = r.completed;
  j["failed"] = r.failed.total();
  j["failed_by_reason"] = {
      {"node_down", r.failed.node_down},         {"no_node", r.failed.no_node},
      {"no_quorum", r.failed.no_quorum},         {"queue_full", r.failed.queue_full},
      {"queue_timeout", r.failed.queue_timeout}, {"codel_drop", r.failed.codel_drop},
      {"overflow", r.failed.overflow},           {"concurrency_limited", r.failed.concurrency_limited},
      {"cancelled", r.failed.cancelled}};
  j["in_flight"] = r.in_flight;
  j["elapsed_s"] = r.elapsed_s;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < kRunMetricCount; ++i)
    metrics[std::string(kRunMetrics[i].name)] = std::isfinite(m[i]) ? nlohmann::ordered_json(m[i]) : nullptr;
  j["metrics"] = metrics;
  j["warmup_s"] = r.warmup_s;
  if (precise && target) {
    // issue 20: with --precision the metrics above are the replications' means.
    auto number = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(); };
    nlohmann::ordered_json p;
    p["precision"] = target->precision;
    p["replications"] = precise->runs.size();
    p["requests"] = precise->requests;
    p["stopped_by"] = precise->stopped_by;
    p["converged"] = precise->converged;
    nlohmann::ordered_json figures = nlohmann::ordered_json::object();
    for (const MetricPrecision& mp : precise->metrics)
      figures[std::string(kRunMetrics[mp.metric].name)] = {{"mean", number(mp.summary.mean)},
                                                           {"ci95", number(mp.summary.ci95)},
                                                           {"converged", mp.converged},
                                                           {"applicable", mp.applicable}};
    p["metrics"] = figures;
    nlohmann::ordered_json ci = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < kRunMetricCount; ++i)
      ci[std::string(kRunMetrics[i].name)] = number(precise->summary[i].ci95);
    p["ci95"] = ci;
    j["precision"] = p;
  }
  if (!std::isinf(r.deadline_ms)) {
    nlohmann::ordered_json g;
    auto number = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(); };
    g["deadline_ms"] = r.deadline_ms;
    g["requests"] = r.total.goodput;
    g["rps"] = number(r.total.goodput_rps);
    g["fraction"] = number(r.total.goodput_fraction);
    auto& nodes = g["nodes"] = nlohmann::ordered_json::array();
    for (const NodeSummary& s : r.nodes)
      nodes.push_back({{"node", s.name},
                       {"requests", s.goodput},
                       {"rps", number(s.goodput_rps)},
                       {"fraction", number(s.goodput_fraction)}});
    j["goodput"] = g;
  }
  if (load.applicable) {
    nlohmann::ordered_json o;
    o["offered_rps"] = load.offered_rps;
    o["capacity_rps"] = load.capacity_rps;
    o["rho"] = load.rho;
    o["overloaded"] = load.overloaded();
    o["node_rho"] = load.node_rho;
    j["offered_load"] = o;
  }
  std::ofstream out(file);
  out << j.dump(2) << "\n";
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", file));
}

}  // namespace

int run_command(const RunOptions& options) {
  Scenario scenario;
  std::vector<MetricAssertion> assertions;
  std::optional<PrecisionTarget> precision;
  try {
    scenario = effective_scenario(options.scenario_file, options.overrides);
    assertions = parse_assertions(options.assertions);
    precision = options.precision.target();
    if (precision) check_precision_scenario(scenario);
    if (options.overrides.warmup_auto()) {
      // --- issue 20 (precision): a first pass finds the cut, the run below measures after it ---
      // The average of ten pilot runs' series, the first the run itself (warmup_finder.h).
      const WarmupSearch search = find_warmup(scenario, kWarmupPilots);
      scenario.warmup_s = search.warmup_s;
      if (!options.quiet) fmt::print("{}\n", describe_warmup(search));
      if (!search.statistics.settled)
        fmt::print(stderr, "loadlab-cli: warning: the run did not settle by MSER-5: {}\n", describe_warmup(search));
    }
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }
  if (options.save_scenario) {
    std::ofstream out(*options.save_scenario);
    out << scenario_to_json(scenario);
    if (!out) {
      fmt::print(stderr, "loadlab-cli: error: cannot write scenario to '{}'\n", *options.save_scenario);
      return kRuntimeError;
    }
  }

  const OfferedLoad load = predict_offered_load(scenario);
  std::vector<std::string> names;
  for (const NodeSpec& n : scenario.nodes) names.push_back(n.name);
  bool bounded = true;
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
    const QueuePolicy q = scenario.queue_of(i);
    bounded = bounded && (q.limited() || q.times_out());
  }
  print_overload_warning(stderr, load, names, bounded);

  const bool keep_snapshots = options.csv_dir || options.json || !assertions.empty();
  const RunResult result = execute(scenario, !options.quiet && isatty(STDERR_FILENO), keep_snapshots,
                                   /*report_drain=*/!options.quiet);
  const RunReport& report = result.report;
  if (!options.quiet) {
    print_report(stdout, report);
    print_end_reason(stdout, scenario.workload, report, result.interrupted);
    if (scenario.drain != Scenario::Drain::wait && !result.interrupted)
      fmt::print("drain: {} of the backlog cancelled {}\n", report.failed.cancelled,
                 scenario.drain == Scenario::Drain::cancel
                     ? std::string("once the last request was issued (--drain cancel)")
                     : fmt::format("{:g} s after the last request was issued (--drain {:g})", scenario.drain_timeout_s,
                                   scenario.drain_timeout_s));
    print_theory(stdout, predict(scenario, report), report);
    print_offered_load(stdout, load);
    if (const auto m = measure_key_movement(scenario.balancer, scenario.balancer_params, result.report_weights(),
                                            scenario.workload.keys.keys))
      print_key_movement(stdout, *m, result.node_names);
  }
  // --- issue 20 (precision): the run above is replication 0; the replications follow ---
  std::optional<PrecisionOutcome> precise;
  bool interrupted_now = result.interrupted;
  if (precision && !interrupted_now) {
    InterruptGuard interrupt_guard;
    PrecisionHooks hooks;
    hooks.cancel = &g_interrupted;
    const bool tty = !options.quiet && isatty(STDERR_FILENO);
    if (tty)
      hooks.on_progress = [](std::size_t done, std::size_t estimate) {
        fmt::print(stderr, "\r  precision: {} of about {} replications ", done, estimate);
      };
    precise = run_to_precision(scenario, *precision, 0, hooks);
    if (tty) fmt::print(stderr, "\r{:80}\r", "");
    interrupted_now = precise->stopped_by == "cancelled";
    if (!options.quiet) print_precision(stdout, *precise, *precision);
    if (!precise->converged && !interrupted_now)
      fmt::print(stderr, "loadlab-cli: warning: not converged after {} replications (stopped by {}): {}\n",
                 precise->runs.size(), precise->stopped_by, describe_not_converged(*precise, *precision));
  }
  // With --precision, summary.csv's total row holds the replications' means and half-widths.
  RunReport csv_report = report;
  SummaryIntervals intervals;
  if (precise) {
    auto mean_of = [&](std::string_view name) { return precise->summary[run_metric_index(name)].mean; };
    auto ci_of = [&](std::string_view name) { return precise->summary[run_metric_index(name)].ci95; };
    csv_report.total.hit_ratio = mean_of("hit_ratio");
    csv_report.total.mean_us = mean_of("mean_us");
    csv_report.total.p50_us = mean_of("p50_us");
    csv_report.total.p95_us = mean_of("p95_us");
    csv_report.total.p99_us = mean_of("p99_us");
    intervals.replications = precise->runs.size();
    intervals.not_converged = precise->not_converged();
    intervals.hit_ratio_ci95 = ci_of("hit_ratio");
    intervals.mean_us_ci95 = ci_of("mean_us");
    intervals.p50_us_ci95 = ci_of("p50_us");
    intervals.p95_us_ci95 = ci_of("p95_us");
    intervals.p99_us_ci95 = ci_of("p99_us");
  }
  if (options.csv_dir) {
    try {
      write_run_csv(*options.csv_dir, csv_report, result.snapshots, result.node_names, precise ? &intervals : nullptr);
      const std::filesystem::path dir(*options.csv_dir);
      if (!options.quiet)
        fmt::print("wrote {} and {}\n", (dir / "summary.csv").string(), (dir / "timeseries.csv").string());
    } catch (const std::exception& e) {
      fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
      return kRuntimeError;
    }
  }
  TickFigures ticks(scenario.warmup_s);
  for (const Snapshot& s : result.snapshots) ticks.add(s);
  RunMetricValues metrics = compute_run_metrics(scenario, report, ticks);
  if (precise)
    for (std::size_t m = 0; m < kRunMetricCount; ++m) metrics[m] = precise->summary[m].mean;
  if (options.json) {
    try {
      write_run_json(*options.json, report, metrics, load, precise ? &*precise : nullptr,
                     precision ? &*precision : nullptr);
    } catch (const std::exception& e) {
      fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
      return kRuntimeError;
    }
  }
  if (!result.balanced) return kRuntimeError;
  if (interrupted_now) return kInterrupted;
  std::size_t failed = report_failed_assertions(assertions, metrics, "");
  // A figure that did not reach the precision is not known well enough to pass a threshold.
  if (precise && !assertions.empty() && !precise->converged && !options.precision.allow_imprecise) {
    fmt::print(stderr, "assertion failed: precision not reached: {} (--allow-imprecise accepts it)\n",
               describe_not_converged(*precise, *precision));
    ++failed;
  }
  if (failed > 0) return kAssertionFailed;
  return kOk;
}

}  // namespace loadlab::cli
