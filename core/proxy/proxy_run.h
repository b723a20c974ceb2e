#pragma once
// A scenario run through a real proxy: each node a real HTTP server on a loopback port the
// OS picks (http/node_http_server.h), the scenario exported for the proxy with those ports,
// the proxy started as a child in a private temporary directory, the workload sent through it
// as real HTTP (http/http_load_client.h), the scenario's scheduled kills and revives applied
// to the nodes' listeners so the proxy's own health logic reacts. Everything — the proxy,
// the nodes, the directory — is gone when it returns, or when it throws.
#include <atomic>
#include <string>
#include <vector>

#include "http/http_limits.h"
#include "http/http_load_client.h"
#include "http/node_http_server.h"
#include "proxy/proxy_config.h"

namespace loadlab {

struct ProxyRunOptions {
  std::string proxy;  // nginx or haproxy
  unsigned connections = 16;
  bool best_effort = false;
  HttpLimits node_limits;
};

struct ProxyRunNode {
  std::string name;
  std::string address;       // where it listened
  NodeHttpStats http;        // its HTTP server's view
  std::uint64_t served = 0;  // completed by its model
  std::uint64_t hits = 0;
};

struct ProxyRunResult {
  HttpLoadResult load;
  std::vector<ProxyRunNode> nodes;
  ProxyConfig config;
  std::string proxy_log;
};

// Throws ProxyExportError (what the proxy cannot express), ProxyProcessError (the proxy is
// missing or will not start; its own message included) or std::runtime_error.
ProxyRunResult run_via_proxy(const Scenario& scenario, const ProxyRunOptions& options,
                             const std::atomic<bool>* stop = nullptr);

}  // namespace loadlab
