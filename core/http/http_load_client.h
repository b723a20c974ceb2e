#pragma once
// The workload as real HTTP requests over a pool of keep-alive connections, keys from the
// scenario's popularity. Open loop: each request has an intended send time from the
// scenario's arrival process and its latency counts from then, so a slow server cannot hide
// its backlog (no coordinated omission). Closed loop and max: each connection sends its next
// request as soon as the last is answered, as wrk does. Answers are counted per node from
// their X-LoadLab-Node header.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "base/host_port.h"
#include "metrics/histogram.h"
#include "scenario/scenario.h"

namespace loadlab {

struct HttpLoadOptions {
  HostPort target;
  unsigned connections = 16;
  std::chrono::milliseconds timeout{10'000};  // per request; then it fails and its connection is renewed
};

struct HttpLoadResult {
  std::uint64_t issued = 0;
  std::uint64_t completed = 0;                   // answered 2xx
  std::uint64_t failed = 0;                      // answered otherwise, or the connection failed or timed out
  std::map<std::string, std::uint64_t> by_node;  // 2xx answers by X-LoadLab-Node
  std::map<int, std::uint64_t> by_status;        // every answer by status; 0: no answer
  Histogram latency_ns;                          // 2xx, from the intended send time
  double elapsed_s = 0;
  bool interrupted = false;
};

// Sends the scenario's workload (open loop: its rate, arrival process, key popularity,
// request count or duration) to `options.target`. `stop` ends it early. Blocks until every
// request issued has been answered or has failed.
HttpLoadResult run_http_load(const Scenario& scenario, const HttpLoadOptions& options,
                             const std::atomic<bool>* stop = nullptr);

}  // namespace loadlab
