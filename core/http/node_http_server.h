#pragma once
// One LoadLab node as a real HTTP/1.1 server (Boost.Beast): requests for /key/<k> go through
// the node's own queue, slots, cache and service model on its own thread (engine/node.h), and
// are answered when their service ends, with headers naming the node. /healthz and /metrics
// serve proxies' health checks and Prometheus.
//
// A network server must not trust its clients: it listens where it is told (loadlab-node
// defaults to 127.0.0.1), and every client is bounded by HttpLimits — header and body size,
// connections at once, requests per connection, read and write time. A malformed request is
// answered 4xx and its connection closed; nothing a client sends can crash the node, hang it
// or leak a slot, and the node's books still balance afterwards.
//
// Threads: one for the sockets (an io_context), one for the node model. They meet in two
// places only: the server thread submits requests to the node, and the node posts each
// finished request back to the server thread.
#include <cstdint>
#include <memory>
#include <string>

#include "base/host_port.h"
#include "http/http_limits.h"
#include "metrics/node_counters.h"
#include "scenario/scenario.h"

namespace loadlab {

struct NodeHttpStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over the connection limit
  std::uint64_t connections_timed_out = 0;
  std::uint64_t requests = 0;       // parsed, whatever their answer
  std::uint64_t client_errors = 0;  // answered 4xx
  std::uint64_t key_requests = 0;   // handed to the node model
  std::uint64_t key_answered = 0;   // answered after service (200, or 503 if the node went down)
  std::uint64_t key_abandoned = 0;  // served, but the client had gone before the answer
  std::size_t open_connections = 0;
  std::size_t in_service = 0;  // handed to the node, not finished yet
};

class NodeHttpServer {
 public:
  // Serves node `node` of the scenario (its speed, slots, cache, the scenario's service model).
  NodeHttpServer(const Scenario& scenario, std::size_t node, HttpLimits limits = {});
  ~NodeHttpServer();
  NodeHttpServer(const NodeHttpServer&) = delete;
  NodeHttpServer& operator=(const NodeHttpServer&) = delete;

  // Binds `where` (port 0: the OS picks one) and starts serving; returns the bound address.
  // Throws std::runtime_error naming the address when it cannot (in use, not local, ...).
  HostPort start(const HostPort& where);
  // Closes the listener and every connection, and kills the node model (what it held fails);
  // a proxy in front sees connections refused. revive() listens again on the same port.
  void kill();
  void revive();
  // Stops accepting, answers what is in service, closes idle connections, then stops.
  // Returns when done (or after `timeout`, closing what is left).
  void drain(std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));

  NodeHttpStats stats() const;
  const NodeCounters& counters() const;
  const std::string& node_name() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loadlab
