#pragma once
// `loadlab-cli export`: the scenario as nginx, HAProxy or Envoy configuration.
#include <optional>
#include <string>

#include "proxy/proxy_config.h"
#include "scenario_overrides.h"

namespace loadlab::cli {

struct ExportOptions {
  std::string scenario_file;
  ScenarioOverrides overrides;
  std::string to;                     // nginx, haproxy or envoy
  std::optional<std::string> output;  // stdout when absent
  ProxyExportOptions proxy;
  bool quiet = false;
};

int export_command(const ExportOptions& options);

}  // namespace loadlab::cli
