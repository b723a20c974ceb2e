#include "cli_app.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "balancer_registry.h"
#include "cache_registry.h"
#include "compare_command.h"
#include "loadlab_version.h"
#include "run_command.h"

namespace loadlab::cli {
namespace {

void print_catalog() {
  fmt::print("Balancers (--balancer):\n");
  for (const auto& e : balancers().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
  fmt::print("\nCache policies (--cache):\n");
  for (const auto& e : caches().entries()) fmt::print("  {:<22} {}\n", e.name, e.summary);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"LoadLab: load balancing and caching on real worker threads.\n"
               "Runs scenarios headless as reproducible benchmarks and writes CSV.",
               "loadlab-cli"};
  app.set_version_flag("--version", std::string("loadlab-cli ") + LOADLAB_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 run or output failed, 2 invalid input (nothing written), 130 interrupted.");

  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario (a JSON file and/or flags) and report per node");
  run_cmd->add_option("scenario", run.scenario_file, "Scenario JSON file; flags override its fields");
  run.overrides.add_to(*run_cmd);
  run_cmd->add_option("--csv", run.csv_dir, "Write summary.csv and timeseries.csv into this directory");
  run_cmd->add_option("--save-scenario", run.save_scenario, "Also write the effective scenario as JSON");
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print nothing but errors");

  CompareOptions compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "Run the same seeded workload through several balancers and compare them in one table");
  compare_cmd->add_option("scenario", compare.scenario_file, "Scenario JSON file; flags override its fields");
  compare_cmd->add_option("--balancers", compare.balancers, "Comma-separated balancers, e.g. round-robin,p2c,maglev")
      ->required();
  compare.overrides.add_to(*compare_cmd, /*with_balancer=*/false);
  compare_cmd->add_option("--csv", compare.csv_dir, "Write compare.csv into this directory");
  compare_cmd->add_flag("--quiet,-q", compare.quiet, "Print nothing but errors");

  CLI::App* list_cmd = app.add_subcommand("list", "List the balancers and cache policies");

  if (argc > 1 && argv[1][0] != '-' && app.get_subcommands([&](const CLI::App* sub) {
                                            return sub->get_name() == argv[1];
                                          }).empty()) {
    fmt::print(stderr, "loadlab-cli: error: unknown command '{}' (known: run, compare, list)\nRun with --help for usage.\n", argv[1]);
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
  if (compare_cmd->parsed()) return compare_command(compare);
  return run_command(run);
}

}  // namespace loadlab::cli
