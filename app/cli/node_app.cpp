#include "cli/node_app.h"

#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "cli/cli_app.h"
#include "http/node_http_server.h"
#include "loadlab_version.h"
#include "scenario/scenario_json.h"

namespace loadlab::cli {
namespace {

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0; }

}  // namespace

int node_main(int argc, char** argv) {
  CLI::App app{
      "loadlab-node: one LoadLab node as an HTTP/1.1 server.\n"
      "GET /key/<k> (PUT for a write) is served through the node's queue, slots, cache and service\n"
      "model; /healthz answers proxies' health checks; /metrics is Prometheus text.",
      "loadlab-node"};
  app.set_version_flag("--version", std::string("loadlab-node ") + LOADLAB_VERSION);
  std::string listen = "127.0.0.1:8081";
  std::string scenario_file;
  std::string node_name;
  HttpLimits limits;
  long long request_timeout_ms = limits.request_timeout.count();
  long long write_timeout_ms = limits.write_timeout.count();
  app.add_option("--listen", listen,
                 "HOST:PORT to listen on (default 127.0.0.1:8081; port 0 lets the OS pick). Other machines reach "
                 "the node only if HOST is one of this machine's outside addresses or 0.0.0.0");
  app.add_option("--scenario", scenario_file, "Scenario JSON file (default: one node with the default settings)");
  app.add_option("--node", node_name, "Which node of the scenario to serve (default: the only one)");
  app.add_option("--max-connections", limits.connections, "Connections open at once (default 1024)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  app.add_option("--max-header-bytes", limits.header_bytes, "Request line and headers (default 8192)")
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20));
  app.add_option("--max-body-bytes", limits.body_bytes, "Request body (default 65536)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64} << 20));
  app.add_option("--max-requests-per-connection", limits.requests_per_connection, "Then the connection closes (1000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000}));
  app.add_option("--request-timeout-ms", request_timeout_ms,
                 "A request must arrive whole within this; idle connections close after it (10000)")
      ->check(CLI::Range(1LL, 3'600'000LL));
  app.add_option("--write-timeout-ms", write_timeout_ms,
                 "An answer the client does not read in time is dropped (10000)")
      ->check(CLI::Range(1LL, 3'600'000LL));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "loadlab-node: error: {}\n", e.what());
    return kBadInput;
  }
  limits.request_timeout = std::chrono::milliseconds(request_timeout_ms);
  limits.write_timeout = std::chrono::milliseconds(write_timeout_ms);

  std::string why;
  const auto where = parse_host_port(listen, &why, /*allow_scheme=*/false, /*allow_port_zero=*/true);
  if (!where) {
    fmt::print(stderr, "loadlab-node: error: --listen: '{}': {}\n", listen, why);
    return kBadInput;
  }
  Scenario scenario;
  std::size_t index = 0;
  try {
    if (scenario_file.empty()) {
      scenario.nodes = default_nodes(1);
    } else {
      scenario = load_scenario(scenario_file);
    }
    validate(scenario);
    if (node_name.empty()) {
      if (scenario.nodes.size() > 1)
        throw ScenarioError("--node",
                            fmt::format("the scenario has {} nodes: say which to serve", scenario.nodes.size()));
    } else {
      index = scenario.nodes.size();
      for (std::size_t i = 0; i < scenario.nodes.size(); ++i)
        if (scenario.nodes[i].name == node_name) index = i;
      if (index == scenario.nodes.size()) {
        std::string names;
        for (const auto& n : scenario.nodes) names += (names.empty() ? "" : ", ") + n.name;
        throw ScenarioError("--node", fmt::format("unknown node '{}' (nodes: {})", node_name, names));
      }
    }
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-node: error: {}\n", e.what());
    return kBadInput;
  }

  // SIGTERM and SIGINT are taken by this thread alone (blocked before any other starts), so
  // the server's threads never see them and shutdown is an orderly drain.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  NodeHttpServer server(scenario, index, limits);
  HostPort bound;
  try {
    bound = server.start(*where);
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-node: error: {}\n", e.what());
    return kRuntimeError;
  }
  if (!is_loopback(bound.host))
    fmt::print(stderr,
               "loadlab-node: warning: listening on {}, reachable from other machines: anyone who can reach it can "
               "send it requests\n",
               bound.to_string());
  fmt::print("loadlab-node: node {} listening on http://{}\n", scenario.nodes[index].name, bound.to_string());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  fmt::print(stderr, "loadlab-node: {}: draining\n", received == SIGTERM ? "SIGTERM" : "SIGINT");
  server.drain();
  const NodeHttpStats s = server.stats();
  const NodeCounters& c = server.counters();
  fmt::print(stderr,
             "loadlab-node: served {} key requests ({} hits, {} misses), {} client errors, {} connections ({} "
             "refused, {} timed out)\n",
             s.key_answered, c.hits.load(), c.misses.load(), s.client_errors, s.connections_accepted,
             s.connections_refused, s.connections_timed_out);
  return kOk;
}

}  // namespace loadlab::cli
