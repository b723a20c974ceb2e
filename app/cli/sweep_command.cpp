#include "sweep_command.h"

#include <fmt/format.h>

#include <fstream>

#include "cli_app.h"
#include "metric_assertions.h"
#include "run_command.h"
#include "sweep/precision_runner.h"
#include "sweep/sweep_csv.h"
#include "sweep/sweep_definition_file.h"
#include "sweep/sweep_preset.h"
#include "sweep_executor.h"
#include "sweep_work_directory.h"

namespace loadlab::cli {
namespace {

// Everything the executor needs, read and checked; throws ScenarioError naming the flag.
SweepPlan plan_from_options(const SweepOptions& options) {
  SweepPlan plan;
  // The virtual clock unless --clock real is asked for: sweeps are what it is for.
  ScenarioOverrides overrides = options.overrides;
  if (!overrides.clock) overrides.clock = "virtual";
  if (options.preset) {
    if (!options.scenario_file.empty())
      throw ScenarioError("--preset", "gives the scenario: leave out the scenario file");
    if (!options.vary.empty() || options.definition)
      throw ScenarioError("--preset", "gives the sweep's --vary specs: leave out --vary and --definition");
    const SweepPreset preset = options.preset->ends_with(".json") ? load_sweep_preset_file(*options.preset)
                                                                  : load_sweep_preset(*options.preset);
    plan.base = preset.scenario;
    overrides.apply(plan.base, true);
    validate(plan.base);
    plan.definition = preset.definition;
    if (options.seeds) plan.definition.seeds = *options.seeds;
    if (!options.quiet) {
      std::string chart = fmt::format("--x {} --y {}", preset.chart.x, preset.chart.y);
      if (preset.chart.by) chart += " --by " + *preset.chart.by;
      fmt::print(stderr, "{}\n  chart: {}{}\n", preset.title, chart,
                 preset.chart.theory ? fmt::format(", formula dashed: {}", *preset.chart.theory) : "");
    }
  } else {
    plan.base = effective_scenario(options.scenario_file, overrides);
    if (options.definition) {
      if (!options.vary.empty())
        throw ScenarioError("--definition", "gives the sweep's --vary and --seeds: leave out --vary");
      plan.definition = load_sweep_definition(*options.definition);
    } else {
      if (options.vary.empty()) throw ScenarioError("--vary", "give at least one --vary PARAM=SPEC");
      for (const std::string& v : options.vary) plan.definition.parameters.push_back(parse_sweep_parameter(v));
      plan.definition.seeds = options.seeds.value_or(5);
    }
  }
  plan.definition.warmup_s = plan.base.warmup_s;
  // --- issue 20 (precision): the automatic warm-up ---
  plan.definition.warmup_auto = options.overrides.warmup_auto();
  if (plan.definition.warmup_auto) {
    if (plan.base.clock != Scenario::Clock::virtual_time)
      throw ScenarioError("--warmup",
                          "'auto' needs the virtual clock (a first pass finds the cut, an identical "
                          "second pass measures; a real-clock run cannot be repeated)");
    if (options.executor.value_or("local") != "local")
      throw ScenarioError("--warmup", "'auto' runs with the local executor only (give --warmup SECONDS for slurm)");
  }
  plan.definition.precision = options.precision.target();
  if (plan.definition.precision) {
    check_precision_scenario(plan.base);
    if (options.executor.value_or("local") != "local")
      throw ScenarioError("--precision", "runs with the local executor only");
  }
  if (options.shard) plan.shard = parse_shard(*options.shard);
  plan.points = plan_sweep(plan.base, plan.definition, plan.shard);
  plan.assertions = parse_assertions(options.assertions);
  return plan;
}

}  // namespace

int sweep_command(const SweepOptions& given) {
  SweepOptions options = given;
  std::unique_ptr<SweepExecutor> executor;
  SweepPlan plan;
  try {
    if (options.resume) {
      // The sweep saved in the work directory, exactly: nothing on the command line may change it.
      if (!options.scenario_file.empty() || !options.vary.empty() || options.definition || options.preset)
        throw ScenarioError("--resume", fmt::format("runs the sweep saved in '{}': leave out the scenario, --vary "
                                                    "and --definition",
                                                    *options.resume));
      if (!options.executor) options.executor = "slurm";
      const SweepWorkDirectory dir(*options.resume);
      std::error_code ec;
      if (!std::filesystem::is_directory(dir.root(), ec))
        throw ScenarioError("--resume", fmt::format("'{}' is not a directory", *options.resume));
      if (!std::filesystem::exists(dir.submitted_file(), ec))
        throw ScenarioError("--resume", fmt::format("'{}' holds no submitted sweep (no {})", *options.resume,
                                                    dir.submitted_file().filename().string()));
      options.scenario_file = dir.scenario_file().string();
      options.definition = dir.definition_file().string();
    }
    executor = sweep_executors().make(options.executor.value_or("local"), options);
    plan = plan_from_options(options);
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  } catch (const std::invalid_argument& e) {  // an executor name that does not exist
    fmt::print(stderr, "loadlab-cli: error: --executor: {}\n", e.what());
    return kBadInput;
  }
  return executor->run(plan);
}

int merge_command(const MergeOptions& options) {
  std::string merged;
  try {
    merged = merge_sweep_csvs(options.files);
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  }
  std::ofstream out(options.csv, std::ios::binary);
  out << merged;
  out.close();
  if (!out) {
    fmt::print(stderr, "loadlab-cli: error: cannot write '{}'\n", options.csv);
    return kRuntimeError;
  }
  return kOk;
}

}  // namespace loadlab::cli
