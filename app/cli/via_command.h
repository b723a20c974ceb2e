#pragma once
// `loadlab-cli run --via nginx|haproxy`: the scenario through the real proxy, beside what
// LoadLab's model of the same balancer predicts.
#include <string>

#include "run_command.h"

namespace loadlab::cli {

struct ViaOptions {
  std::string proxy;   // empty: not through a proxy
  std::string target;  // http://host:port: send the workload to a running server instead
  unsigned connections = 16;
  unsigned timeout_ms = 10'000;  // per request, then it fails
  bool best_effort = false;
};

int via_command(const RunOptions& run, const ViaOptions& via);
// `loadlab-cli run --target URL`: the workload sent to whatever listens there (a proxy in
// front of loadlab-node backends, or one node), counted per node from the answers' headers.
int target_command(const RunOptions& run, const ViaOptions& via);

}  // namespace loadlab::cli
