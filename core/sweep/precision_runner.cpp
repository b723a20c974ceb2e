#include "sweep/precision_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "sim/simulator.h"
#include "sweep/sweep_definition.h"

namespace loadlab {
namespace {

struct Replication {
  RunMetricValues metrics{};
  RunReport report;
};

Replication run_replication(const Scenario& scenario, std::size_t k, const PrecisionHooks& hooks) {
  Scenario s = scenario;
  s.seed = replication_seed(scenario.seed, k);
  TickFigures ticks(s.warmup_s);
  Simulator sim(s);
  sim.subscribe([&ticks](const Snapshot& snapshot) { ticks.add(snapshot); });
  Replication r;
  r.report = sim.run_to_end();
  r.metrics = compute_run_metrics(s, r.report, ticks);
  if (hooks.on_replication) hooks.on_replication(k, sim, r.report);
  return r;
}

std::vector<MetricPrecision> judge(const std::vector<RunMetricValues>& runs, std::size_t n,
                                   const PrecisionTarget& target) {
  std::vector<MetricPrecision> out;
  std::vector<double> column(n);
  for (std::size_t m : target.metrics) {
    for (std::size_t r = 0; r < n; ++r) column[r] = runs[r][m];
    MetricPrecision p;
    p.metric = m;
    p.summary = summarize_replications(column);
    p.applicable = p.summary.n >= 2;
    p.converged = p.applicable && n >= std::min(kPrecisionMinSeeds, target.max_seeds) &&
                  p.summary.ci95 <= target.precision * std::abs(p.summary.mean);
    out.push_back(p);
  }
  return out;
}

bool all_converged(const std::vector<MetricPrecision>& metrics) {
  return std::all_of(metrics.begin(), metrics.end(),
                     [](const MetricPrecision& m) { return m.converged || !m.applicable; });
}

}  // namespace

PrecisionTarget parse_precision_target(double precision, const std::optional<std::string>& metrics,
                                       std::optional<std::uint64_t> max_requests,
                                       std::optional<std::size_t> max_seeds) {
  PrecisionTarget t;
  if (!(precision > 0 && precision < 1))
    throw ScenarioError("--precision",
                        fmt::format("{} must be a relative half-width between 0 and 1 (0.05: ±5%)", precision));
  t.precision = precision;
  const std::string list = metrics.value_or("mean_us,hit_ratio");
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, end - start);
    const std::size_t m = run_metric_index(name);
    if (m == kRunMetricCount) {
      std::string known;
      for (const MetricInfo& info : kRunMetrics) known += (known.empty() ? "" : ", ") + std::string(info.name);
      throw ScenarioError("--precision-of", fmt::format("'{}' is not a metric (known: {})", name, known));
    }
    if (std::find(t.metrics.begin(), t.metrics.end(), m) == t.metrics.end()) t.metrics.push_back(m);
    start = end + 1;
  }
  if (max_requests) {
    if (*max_requests == 0) throw ScenarioError("--max-requests", "0 leaves nothing to run: give at least 1");
    t.max_requests = *max_requests;
  }
  if (max_seeds) {
    if (*max_seeds < 2 || *max_seeds > kMaxSweepSeeds)
      throw ScenarioError("--max-seeds", fmt::format("{} must be from 2 (an interval needs two replications) to {}",
                                                     *max_seeds, kMaxSweepSeeds));
    t.max_seeds = *max_seeds;
  }
  return t;
}

void check_precision_scenario(const Scenario& scenario) {
  if (scenario.clock != Scenario::Clock::virtual_time)
    throw ScenarioError("--precision",
                        "needs the virtual clock (--clock virtual): it runs replications until the intervals are "
                        "narrow enough, dozens of runs of the whole scenario, and a real-clock run takes its full "
                        "wall time and cannot be repeated with the same seed");
}

std::vector<std::string> PrecisionOutcome::not_converged() const {
  std::vector<std::string> names;
  for (const MetricPrecision& m : metrics)
    if (m.applicable && !m.converged) names.emplace_back(kRunMetrics[m.metric].name);
  return names;
}

std::size_t estimate_replications(const PrecisionOutcome& so_far, const PrecisionTarget& target) {
  const std::size_t n = so_far.runs.size();
  if (so_far.converged || n < 2) return std::max(n, std::min(kPrecisionMinSeeds, target.max_seeds));
  double factor = 1;
  for (const MetricPrecision& m : so_far.metrics)
    if (m.applicable && !m.converged && m.summary.mean != 0)
      factor = std::max(factor, std::pow(m.summary.ci95 / (target.precision * std::abs(m.summary.mean)), 2));
  const double wanted = std::ceil(static_cast<double>(n) * factor);
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::min(wanted, 1e9)),
                                 std::max(n, std::min(kPrecisionMinSeeds, target.max_seeds)), target.max_seeds);
}

PrecisionOutcome run_to_precision(const Scenario& scenario, const PrecisionTarget& target, unsigned threads,
                                  const PrecisionHooks& hooks) {
  check_precision_scenario(scenario);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Replication> done;
  std::vector<std::uint64_t> cumulative_requests;  // issued by replications 0..k
  PrecisionOutcome out;
  std::size_t checked = 0;  // replication counts n already judged
  auto cancelled = [&] { return hooks.cancel && hooks.cancel->load(); };
  while (true) {
    // The next wave: as many replications as threads, never past the seed cap.
    const std::size_t first = done.size();
    const std::size_t wave = std::min<std::size_t>(threads, target.max_seeds - first);
    done.resize(first + wave);
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < wave; ++i)
      workers.emplace_back([&, i] { done[first + i] = run_replication(scenario, first + i, hooks); });
    if (wave > 0) done[first] = run_replication(scenario, first, hooks);
    for (std::thread& t : workers) t.join();
    for (std::size_t k = first; k < done.size(); ++k)
      cumulative_requests.push_back((k ? cumulative_requests[k - 1] : 0) + done[k].report.issued);
    out.runs.clear();
    for (const Replication& r : done) out.runs.push_back(r.metrics);
    // Judge n = checked+1, ... in seed order; the first n that meets the target or a cap ends it.
    std::size_t stop_at = 0;
    for (std::size_t n = checked + 1; n <= done.size() && stop_at == 0; ++n) {
      out.metrics = judge(out.runs, n, target);
      out.converged = all_converged(out.metrics) && n >= std::min(kPrecisionMinSeeds, target.max_seeds);
      if (out.converged)
        out.stopped_by = "precision", stop_at = n;
      else if (n >= target.max_seeds)
        out.stopped_by = "--max-seeds", stop_at = n;
      else if (n >= 2 && target.max_requests > 0 && cumulative_requests[n - 1] >= target.max_requests)
        out.stopped_by = "--max-requests", stop_at = n;
      checked = n;
    }
    if (stop_at == 0 && cancelled()) out.stopped_by = "cancelled", stop_at = done.size();
    if (stop_at > 0) {
      done.resize(stop_at);
      out.runs.resize(stop_at);
      if (out.stopped_by == "cancelled") {
        out.metrics = judge(out.runs, stop_at, target);
        out.converged = false;
      }
      break;
    }
    if (hooks.on_progress) hooks.on_progress(done.size(), estimate_replications(out, target));
  }
  for (std::size_t k = 0; k < done.size(); ++k) out.seeds.push_back(replication_seed(scenario.seed, k));
  out.requests = done.empty() ? 0 : cumulative_requests[done.size() - 1];
  std::array<ReplicationSummary, kRunMetricCount> summary;
  std::vector<double> column(out.runs.size());
  for (std::size_t m = 0; m < kRunMetricCount; ++m) {
    for (std::size_t r = 0; r < out.runs.size(); ++r) column[r] = out.runs[r][m];
    summary[m] = summarize_replications(column);
  }
  out.summary = summary;
  if (!done.empty()) out.first_report = std::move(done.front().report);
  if (hooks.on_progress) hooks.on_progress(done.size(), done.size());
  return out;
}

}  // namespace loadlab
