#pragma once
#include <optional>
#include <string>

#include "scenario_overrides.h"

namespace loadlab::cli {

struct RunOptions {
  std::string scenario_file;
  ScenarioOverrides overrides;
  std::optional<std::string> csv_dir;
  std::optional<std::string> save_scenario;
  bool quiet = false;
};

int run_command(const RunOptions& options);

}  // namespace loadlab::cli
