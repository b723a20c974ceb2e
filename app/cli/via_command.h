#pragma once
// `loadlab-cli run --via nginx|haproxy`: the scenario through the real proxy, beside what
// LoadLab's model of the same balancer predicts.
#include <string>

#include "run_command.h"

namespace loadlab::cli {

struct ViaOptions {
  std::string proxy;  // empty: not through a proxy
  unsigned connections = 16;
  bool best_effort = false;
};

int via_command(const RunOptions& run, const ViaOptions& via);

}  // namespace loadlab::cli
