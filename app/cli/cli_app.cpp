#include "cli_app.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "balancers/balancer_registry.h"
#include "caches/cache_registry.h"
#include "cachesim_command.h"
#include "compare_command.h"
#include "export_command.h"
#include "import_command.h"
#include "loadlab_version.h"
#include "model/queue_discipline_registry.h"
#include "plot_command.h"
#include "proxy/proxy_config_registry.h"
#include "run_command.h"
#include "sweep/run_metrics.h"
#include "sweep/scenario_parameter.h"
#include "sweep_command.h"
#include "sweep_executor.h"
#include "via_command.h"

namespace loadlab::cli {
namespace {

void print_catalog() {
  fmt::print("Balancers (--balancer):\n");
  for (const auto& e : balancers().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nCache policies (--cache):\n");
  for (const auto& e : caches().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nQueue disciplines (--queue-discipline):\n");
  for (const auto& e : queue_disciplines().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nProxies to export to (export --to):\n");
  for (const auto& e : proxy_config_writers().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nSweep parameters (sweep --vary PARAM=SPEC):\n");
  for (const auto& p : sweep_parameters()) fmt::print("  {:<22} {}\n", p.name, p.summary);
  fmt::print("\nSweep executors (sweep --executor):\n");
  for (const auto& e : sweep_executors().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nMetrics (sweep CSV columns, each with X_ci95; --assert 'METRIC<VALUE'):\n");
  for (const auto& m : kRunMetrics) fmt::print("  {:<22} {}\n", m.name, m.summary);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "LoadLab: load balancing and caching on real worker threads.\n"
      "Runs scenarios headless as reproducible benchmarks and writes CSV.",
      "loadlab-cli"};
  app.set_version_flag("--version", std::string("loadlab-cli ") + LOADLAB_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 run or output failed, 2 invalid input (nothing written), 99 an --assert failed, 130 "
      "interrupted.");

  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario (a JSON file and/or flags) and report per node");
  run_cmd->add_option("scenario", run.scenario_file, "Scenario JSON file; flags override its fields");
  run.overrides.add_to(*run_cmd);
  run_cmd->add_option("--csv", run.csv_dir, "Write summary.csv and timeseries.csv into this directory");
  run_cmd->add_option("--save-scenario", run.save_scenario, "Also write the effective scenario as JSON");
  run_cmd->add_option("--json", run.json, "Also write the run's figures (the sweep's metric names) as JSON");
  run_cmd->add_option("--assert", run.assertions,
                      "A threshold the run must meet, e.g. 'p99_us<50000' (repeatable); a failure exits 99");
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print nothing but errors");
  ViaOptions via;
  run_cmd->add_option("--via", via.proxy,
                      "Run through a real proxy, nginx or haproxy: the nodes serve HTTP on loopback ports the OS "
                      "picks, the proxy runs on the exported configuration");
  run_cmd->add_option("--target", via.target,
                      "Send the workload as HTTP to a running server (http://host:port: a proxy in front of "
                      "loadlab-node backends, or one node) instead of running the nodes here");
  run_cmd->add_option("--connections", via.connections, "With --via or --target: keep-alive connections (16)");
  run_cmd->add_option("--timeout-ms", via.timeout_ms, "With --target: a request not answered in time fails (10000)");
  run_cmd->add_flag("--best-effort", via.best_effort, "With --via: run what the proxy can only approximate");

  SweepOptions sweep;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "Run a scenario over a grid of parameter values, each point with several seeds, on the virtual clock");
  sweep_cmd->add_option("scenario", sweep.scenario_file, "Scenario JSON file; flags override its fields");
  sweep.overrides.add_to(*sweep_cmd);
  sweep_cmd->add_option("--vary", sweep.vary,
                        "PARAM=SPEC, SPEC a list a,b,c, a range lo:hi:step or a log range lo:hi:xN; several give the "
                        "full grid (see 'loadlab-cli list' for the parameters)");
  sweep_cmd->add_option("--definition", sweep.definition,
                        "The --vary specs and --seeds from a JSON file, as --executor slurm writes it (sweep.json)");
  sweep_cmd->add_option("--seeds", sweep.seeds, "Runs per point, each with its own seed (default 5)");
  sweep_cmd->add_option("--threads", sweep.threads, "Worker threads (default: all cores; the real clock uses one)");
  sweep_cmd->add_option("--csv", sweep.csv, "Write one row per point: parameters, then each metric and its _ci95");
  sweep_cmd->add_option("--csv-runs", sweep.csv_runs, "Also write one row per point and seed with every metric");
  sweep_cmd->add_option("--json", sweep.json, "Also write the points' figures as JSON");
  sweep_cmd->add_option("--shard", sweep.shard, "I/N: run only the points k with k mod N == I (join with merge)");
  sweep_cmd->add_option("--assert", sweep.assertions,
                        "A threshold every point's mean must meet, e.g. 'p99_us<50000' (repeatable); exits 99");
  sweep_cmd->add_flag("--quiet,-q", sweep.quiet, "Print nothing but errors");
  sweep_cmd->add_option("--executor", sweep.executor,
                        "Where the runs happen: local (this process, the default) or slurm (one array job)");
  sweep_cmd->add_option("--jobs", sweep.jobs,
                        "--executor slurm: array tasks, each a shard of the grid (default one per point, at most 100)");
  // One value per --sbatch-arg, so a scenario file after it stays the scenario.
  sweep_cmd
      ->add_option("--sbatch-arg", sweep.sbatch_args,
                   "--executor slurm: an argument for sbatch, e.g. --sbatch-arg=--partition=short (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sweep_cmd->add_option("--workdir", sweep.workdir,
                        "--executor slurm: the work directory, on storage every node shares (default "
                        "./loadlab-sweep-DATE-TIME-PID)");
  sweep_cmd->add_option("--resume", sweep.resume,
                        "--executor slurm: submit again the shards of the sweep in DIR that have not finished, then "
                        "merge");

  MergeOptions merge;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Join the CSVs of a sweep's shards into one, in point order");
  merge_cmd->add_option("files", merge.files, "Shard CSVs written by sweep --shard I/N --csv")->required();
  merge_cmd->add_option("--csv", merge.csv, "The merged CSV")->required();

  PlotOptions plot;
  std::string plot_size;
  CLI::App* plot_cmd = app.add_subcommand(
      "plot", "Draw a sweep's CSV as the window's What-if tab does: one curve per --by value, 95% bands, theory");
  plot_cmd->add_option("csv", plot.csv, "The tidy CSV written by sweep --csv (or merge)")->required();
  plot_cmd->add_option("--x", plot.x, "The varied parameter on the x axis, e.g. rate")->required();
  plot_cmd->add_option("--y", plot.y, "The metric, e.g. p99_us, hit_ratio (default p99_us)");
  plot_cmd->add_option("--by", plot.by, "A varied parameter drawn as one curve per value, e.g. balancer");
  plot_cmd->add_option("--theory", plot.theory,
                       "The column drawn dashed as the formula (default: theory_mean_us for mean_us, "
                       "theory_lru_hit_ratio for hit_ratio; 'none' for no line)");
  plot_cmd->add_option("--target", plot.target,
                       "A horizontal target line in the metric's unit (µs for latencies); the title says where each "
                       "curve crosses it");
  plot_cmd->add_option("--out", plot.out, "The picture: a .png or .svg file")->required();
  plot_cmd->add_option("--size", plot_size, "WIDTHxHEIGHT in pixels (default 1200x800)");

  CompareOptions compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "Run the same seeded workload through several balancers and compare them in one table");
  compare_cmd->add_option("scenario", compare.scenario_file, "Scenario JSON file; flags override its fields");
  compare_cmd->add_option("--balancers", compare.balancers, "Comma-separated balancers, e.g. round-robin,p2c,maglev")
      ->required();
  compare.overrides.add_to(*compare_cmd, /*with_balancer=*/false);
  compare_cmd->add_option("--csv", compare.csv_dir, "Write compare.csv into this directory");
  compare_cmd->add_flag("--quiet,-q", compare.quiet, "Print nothing but errors");

  CachesimOptions sim;
  CLI::App* sim_cmd = app.add_subcommand("cachesim", "Replay a trace through cache policies at several sizes");
  sim_cmd->add_option("trace", sim.trace, "Trace file: text (one key per line), CSV with a header, or oracleGeneral")
      ->required();
  sim_cmd->add_option("--policies", sim.policies, "Comma-separated policies (default: all, and belady)");
  sim_cmd->add_option("--sizes", sim.sizes,
                      "Cache sizes: object counts (1000) or fractions of the distinct keys (0.01)");
  sim_cmd->add_flag("--mrc", sim.mrc, "Miss-ratio curve: 16 sizes from 0.1% to 100% of the distinct keys");
  sim_cmd->add_option("--sample-rate", sim.sample_rate,
                      "SHARDS: simulate only this share of the keys (by hash), each size scaled by it (default 1: "
                      "exact)");
  sim_cmd->add_option("--format", sim.format, "auto (by extension), text, csv or oracleGeneral");
  sim_cmd->add_option("--key-column", sim.key_column,
                      "CSV: the key column (default key, id or obj_id, else the first)");
  sim_cmd->add_option("--size-column", sim.size_column, "CSV: the size column (default size or obj_size when present)");
  sim_cmd->add_option("--threads", sim.threads, "Worker threads (default: all cores)");
  sim_cmd->add_option("--csv", sim.csv, "Write the results as CSV to this file");
  sim_cmd->add_flag("--quiet,-q", sim.quiet, "Print nothing but errors");

  TraceOptions trace;
  CLI::App* trace_cmd = app.add_subcommand("trace", "Write a synthetic Zipf trace (CSV, text or oracleGeneral)");
  trace_cmd->add_option("--zipf", trace.zipf, "Zipf exponent s (default 1.0)");
  trace_cmd->add_option("--keys", trace.keys, "Distinct keys (default 100000)");
  trace_cmd->add_option("--requests", trace.requests, "Requests (default 1000000)");
  trace_cmd->add_option("--seed", trace.seed, "Random seed (default 1)");
  trace_cmd->add_option("--out", trace.out, "Output file; .csv, .oracleGeneral or anything else for text")->required();
  trace_cmd->add_option("--format", trace.format, "auto (by extension), text, csv or oracleGeneral");

  ExportOptions exp;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write the scenario as nginx, HAProxy or Envoy configuration (what cannot be expressed: exit 2)");
  export_cmd->add_option("scenario", exp.scenario_file, "Scenario JSON file; flags override its fields");
  exp.overrides.add_to(*export_cmd);
  export_cmd->add_option("--to", exp.to, "nginx, haproxy or envoy")->required();
  export_cmd->add_option("-o,--output", exp.output, "Write the configuration here (default: standard output)");
  export_cmd->add_flag("--best-effort", exp.proxy.best_effort,
                       "Write what cannot be expressed as the nearest setting, with a comment saying so");
  export_cmd->add_option("--listen", exp.proxy.listen, "Where the proxy listens (default 127.0.0.1:8080)");
  export_cmd->add_option("--first-port", exp.proxy.first_node_port,
                         "Nodes without a url: 127.0.0.1 from this port on (default 8081)");
  export_cmd->add_flag("--quiet,-q", exp.quiet, "Print nothing but errors");

  ImportOptions imp;
  CLI::App* import_cmd =
      app.add_subcommand("import", "Read an nginx upstream or HAProxy backend into a scenario JSON file");
  import_cmd->add_option("config", imp.config_file, "nginx.conf or haproxy.cfg")->required();
  import_cmd->add_option("--format", imp.format, "auto (from the contents), nginx or haproxy");
  import_cmd->add_option("--upstream", imp.upstream, "The upstream (nginx) or backend (HAProxy) to read");
  import_cmd->add_option("-o,--output", imp.output, "Write the scenario here (default: standard output)");
  import_cmd->add_flag("--quiet,-q", imp.quiet, "Print nothing but errors");

  CLI::App* list_cmd = app.add_subcommand("list", "List the balancers, cache policies and proxies to export to");

  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](const CLI::App* sub) { return sub->get_name() == argv[1]; }).empty()) {
    fmt::print(stderr,
               "loadlab-cli: error: unknown command '{}' (known: run, compare, sweep, merge, plot, cachesim, "
               "trace, export, import, list)\nRun with --help "
               "for usage.\n",
               argv[1]);
    return kBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\nRun with --help for usage.\n", e.what());
    return kBadInput;
  }
  if (list_cmd->parsed()) {
    print_catalog();
    return kOk;
  }
  if (plot_cmd->parsed()) {
    if (!plot_size.empty()) {
      const std::size_t x = plot_size.find('x');
      try {
        std::size_t used_w = 0, used_h = 0;
        if (x == std::string::npos) throw std::invalid_argument("no x");
        plot.width = std::stoi(plot_size.substr(0, x), &used_w);
        plot.height = std::stoi(plot_size.substr(x + 1), &used_h);
        if (used_w != x || used_h != plot_size.size() - x - 1) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        fmt::print(stderr, "loadlab-cli plot: error: --size '{}': expected WIDTHxHEIGHT, e.g. 1200x800\n", plot_size);
        return kBadInput;
      }
    }
    return plot_command(plot);
  }
  if (compare_cmd->parsed()) return compare_command(compare);
  if (sweep_cmd->parsed()) return sweep_command(sweep);
  if (merge_cmd->parsed()) return merge_command(merge);
  if (sim_cmd->parsed()) return cachesim_command(sim);
  if (trace_cmd->parsed()) return trace_command(trace);
  if (export_cmd->parsed()) return export_command(exp);
  if (import_cmd->parsed()) return import_command(imp);
  if (!via.target.empty()) return target_command(run, via);
  if (!via.proxy.empty()) return via_command(run, via);
  return run_command(run);
}

}  // namespace loadlab::cli
