#include "compare_command.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "balancers/balancer_registry.h"
#include "cli_app.h"
#include "run_command.h"
#include "scenario/scenario.h"
#include "theory/key_movement.h"
#include "theory/theory.h"

namespace loadlab::cli {

const char* const kCompareColumns =
    "balancer,requests,share_error,imbalance_max_mean,imbalance_cv,jain,mean_us,p50_us,p99_us,max_us,"
    "peak_in_flight,keys_moved_remove,keys_moved_ideal,keys_moved_add,achieved_rps";

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Row {
  std::string balancer;
  RunReport report;
  double share_error = kNaN;  // max over nodes of |measured share − weight share|
  std::optional<KeyMovement> movement;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    out.push_back(b == std::string::npos ? "" : item.substr(b, e - b + 1));
  }
  return out;
}

std::string num(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : ""; }
std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "-"; }
std::string fixed(double v, int d) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, d) : "-"; }
std::string us(double v) {
  if (!std::isfinite(v)) return "-";
  return v >= 10'000 ? fmt::format("{:.1f}ms", v / 1000.0) : fmt::format("{:.0f}us", v);
}

// Share error against what the weights ask for: w_i/Σw for policies that honour weights,
// an equal split over the nodes in rotation for those that do not.
double share_error(const Balancer& b, const RunReport& r) {
  std::vector<double> weights;
  for (const NodeSummary& n : r.nodes) weights.push_back(n.weight);
  const auto target = expected_shares(b.honours_weights() ? ShareModel::weighted : ShareModel::equal, weights);
  double worst = 0;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) worst = std::max(worst, std::abs(r.nodes[i].share - target[i]));
  return r.completed > 0 ? worst : kNaN;
}

}  // namespace

int compare_command(const CompareOptions& options) {
  Scenario base;
  std::vector<std::string> names = split(options.balancers);
  try {
    base = effective_scenario(options.scenario_file, options.overrides);
    if (names.empty() || (names.size() == 1 && names[0].empty()))
      throw ScenarioError("--balancers", "give at least one balancer, e.g. --balancers round-robin,p2c");
    for (const std::string& name : names)
      if (!balancers().contains(name))
        throw ScenarioError("--balancers", fmt::format("unknown balancer '{}' (known: {})", name, balancers().names()));
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }

  std::vector<Row> rows;
  bool balanced = true;
  for (const std::string& name : names) {
    Scenario s = base;
    s.balancer = name;
    if (!options.quiet) fmt::print(stderr, "running {} ...\n", name);
    RunResult result = execute(s, false, false);
    balanced = balanced && result.balanced;
    Row row{name, result.report, kNaN, std::nullopt};
    const auto probe = balancers().make(name, BalancerOptions{1, s.balancer_params});
    row.share_error = share_error(*probe, row.report);
    row.movement = measure_key_movement(name, s.balancer_params, result.report_weights(), s.workload.keys.keys);
    rows.push_back(std::move(row));
    if (result.interrupted) break;
  }

  if (!options.quiet) {
    fmt::print("scenario '{}'  {} nodes  seed {}  the same keys and arrivals for every balancer\n\n", base.name,
               base.nodes.size(), base.seed);
    fmt::print("{:<22} {:>9} {:>9} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11}\n", "balancer", "share err", "max/mean",
               "CV", "Jain", "mean", "p99", "peak in", "keys", "req/s");
    fmt::print("{:<22} {:>9} {:>9} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11}\n", "", "", "", "", "", "", "", "flight",
               "moved", "");
    for (const Row& r : rows) {
      const RunReport& p = r.report;
      fmt::print("{:<22} {:>9} {:>9} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11.0f}\n", r.balancer, pct(r.share_error),
                 fixed(p.imbalance.max_mean, 3), fixed(p.imbalance.cv, 3), fixed(p.imbalance.jain, 4),
                 us(p.total.mean_us), us(p.total.p99_us), p.peak_in_flight,
                 r.movement ? pct(r.movement->moved_on_remove) : "-", p.achieved_rps);
    }
    for (const Row& r : rows)
      if (r.movement) {
        fmt::print("\nkeys moved: the share of keys that change node when the last node leaves; ideal {}\n",
                   pct(r.movement->ideal_on_remove));
        break;
      }
  }

  if (options.csv_dir) {
    const std::filesystem::path dir(*options.csv_dir);
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    std::ofstream out(dir / "compare.csv", std::ios::binary | std::ios::trunc);
    if (error || !out) {
      fmt::print(stderr, "loadlab-cli: error: cannot write '{}'\n", (dir / "compare.csv").string());
      return kRuntimeError;
    }
    out << kCompareColumns << '\n';
    for (const Row& r : rows) {
      const RunReport& p = r.report;
      const KeyMovement* m = r.movement ? &*r.movement : nullptr;
      out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.balancer, p.completed,
                         num(r.share_error, 6), num(p.imbalance.max_mean, 6), num(p.imbalance.cv, 6),
                         num(p.imbalance.jain, 6), num(p.total.mean_us, 1), num(p.total.p50_us, 1),
                         num(p.total.p99_us, 1), num(p.total.max_us, 1), p.peak_in_flight,
                         m ? num(m->moved_on_remove, 6) : "", m ? num(m->ideal_on_remove, 6) : "",
                         m ? num(m->moved_on_add, 6) : "", num(p.achieved_rps, 1));
    }
    out.flush();
    if (!out) {
      fmt::print(stderr, "loadlab-cli: error: error while writing '{}'\n", (dir / "compare.csv").string());
      return kRuntimeError;
    }
    if (!options.quiet) fmt::print("wrote {}\n", (dir / "compare.csv").string());
  }
  if (!balanced) return kRuntimeError;
  return interrupted() ? kInterrupted : kOk;
}

}  // namespace loadlab::cli
