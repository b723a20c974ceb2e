#pragma once
// `loadlab-cli compare`: the same seeded workload through several balancers, one table.
#include <optional>
#include <string>
#include <vector>

#include "scenario_overrides.h"

namespace loadlab::cli {

struct CompareOptions {
  std::string scenario_file;
  ScenarioOverrides overrides;
  std::string balancers;  // comma-separated
  std::optional<std::string> csv_dir;
  bool quiet = false;
};

// Columns of compare.csv, in order. Later versions add columns at the end.
extern const char* const kCompareColumns;

int compare_command(const CompareOptions& options);

}  // namespace loadlab::cli
