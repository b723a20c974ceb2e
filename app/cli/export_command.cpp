#include "export_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli_app.h"
#include "proxy/proxy_config_registry.h"
#include "run_command.h"

namespace loadlab::cli {

int export_command(const ExportOptions& options) {
  if (!proxy_config_writers().contains(options.to)) {
    fmt::print(stderr, "loadlab-cli: error: --to: unknown proxy '{}' (known: {})\n", options.to,
               proxy_config_writers().names());
    return kBadInput;
  }
  ProxyConfig config;
  try {
    const Scenario scenario = effective_scenario(options.scenario_file, options.overrides);
    config = proxy_config_writers().make(options.to, options.proxy)->write(scenario);
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return kBadInput;
  } catch (const ProxyExportError& e) {
    fmt::print(stderr, "loadlab-cli: error: {} cannot express {}\n", options.to, e.what());
    return kBadInput;
  }
  if (!options.quiet)
    for (const auto& note : config.notes) fmt::print(stderr, "loadlab-cli: note: {}\n", note);
  if (!options.output) {
    fmt::print("{}", config.text);
    return kOk;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(*options.output, ec)) {
    fmt::print(stderr, "loadlab-cli: error: -o: '{}' is a directory\n", *options.output);
    return kBadInput;
  }
  std::ofstream out(*options.output, std::ios::binary);
  out << config.text;
  out.close();
  if (!out) {
    fmt::print(stderr, "loadlab-cli: error: cannot write '{}'\n", *options.output);
    return kRuntimeError;
  }
  if (!options.quiet) fmt::print(stderr, "loadlab-cli: wrote {} configuration to {}\n", options.to, *options.output);
  return kOk;
}

}  // namespace loadlab::cli
