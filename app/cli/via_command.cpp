#include "via_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <cmath>
#include <optional>

#include "cli_app.h"
#include "proxy/proxy_process.h"
#include "proxy/proxy_run.h"

namespace loadlab::cli {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void stop_on_signal(int) { g_stop.store(true); }

// Ctrl-C and SIGTERM end the workload early (what was answered is still reported); the
// previous handlers come back when the run is over.
class StopOnSignals {
 public:
  StopOnSignals() {
    struct sigaction action {};
    action.sa_handler = stop_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopOnSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string us(double ns) {
  if (!std::isfinite(ns)) return "-";
  const double v = ns / 1000;
  return v >= 10'000 ? fmt::format("{:.1f}ms", v / 1000) : fmt::format("{:.0f}us", v);
}

void print_failures(const HttpLoadResult& load) {
  if (load.failed == 0) return;
  std::string statuses;
  for (const auto& [status, count] : load.by_status)
    if (status / 100 != 2)
      statuses += fmt::format(" {}:{}", status == 0 ? std::string("no answer") : std::to_string(status), count);
  fmt::print("Failed answers by status:{}\n", statuses);
}

// The scenario file with the flags applied, or nullopt after saying what is wrong.
std::optional<Scenario> load_or_say_why(const RunOptions& run) {
  try {
    return effective_scenario(run.scenario_file, run.overrides);
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    return std::nullopt;
  }
}

bool connections_ok(const ViaOptions& via) {
  if (via.connections >= 1 && via.connections <= 4096) return true;
  fmt::print(stderr, "loadlab-cli: error: --connections: must be from 1 to 4096 (got {})\n", via.connections);
  return false;
}

}  // namespace

int via_command(const RunOptions& run, const ViaOptions& via) {
  const std::optional<Scenario> loaded = load_or_say_why(run);
  if (!loaded) return kBadInput;
  const Scenario& scenario = *loaded;
  if (via.proxy != "nginx" && via.proxy != "haproxy") {
    fmt::print(stderr, "loadlab-cli: error: --via: unknown proxy '{}' (known: nginx, haproxy)\n", via.proxy);
    return kBadInput;
  }
  if (!connections_ok(via)) return kBadInput;
  // What LoadLab's model predicts for the same scenario and seed: the virtual clock, exact.
  Scenario model = scenario;
  model.clock = Scenario::Clock::virtual_time;
  const RunResult predicted = execute(model, /*progress=*/false, /*keep_snapshots=*/false);

  ProxyRunOptions options;
  options.proxy = via.proxy;
  options.connections = via.connections;
  options.best_effort = via.best_effort;
  StopOnSignals signals;
  ProxyRunResult result;
  int code = kOk;
  try {
    result = run_via_proxy(scenario, options, &g_stop);
  } catch (const ProxyExportError& e) {
    fmt::print(stderr, "loadlab-cli: error: {} cannot express {}\n", via.proxy, e.what());
    code = kBadInput;
  } catch (const ProxyProcessError& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    code = kRuntimeError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: {}\n", e.what());
    code = kRuntimeError;
  }
  if (code != kOk) return code;

  const HttpLoadResult& load = result.load;
  if (!run.quiet) {
    for (const auto& n : result.config.notes) fmt::print(stderr, "loadlab-cli: note: {}\n", n);
    fmt::print("Through {} ({} connections): {} requests, {} answered 2xx, {} failed, {:.0f} req/s over {:.2f} s\n",
               via.proxy, via.connections, load.issued, load.completed, load.failed,
               load.elapsed_s > 0 ? static_cast<double>(load.completed) / load.elapsed_s : 0.0, load.elapsed_s);
    fmt::print("\n{:<8} {:<22} {:>10} {:>8}   {:>10} {:>8}   {:>8}\n", "node", "listened on", "via proxy", "share",
               "model", "share", "hit rate");
    const double total_via = static_cast<double>(std::max<std::uint64_t>(1, load.completed));
    const double total_model = static_cast<double>(std::max<std::uint64_t>(1, predicted.report.total.requests));
    for (std::size_t i = 0; i < result.nodes.size(); ++i) {
      const ProxyRunNode& n = result.nodes[i];
      const auto it = load.by_node.find(n.name);
      const std::uint64_t via_count = it == load.by_node.end() ? 0 : it->second;
      const std::uint64_t model_count = i < predicted.report.nodes.size() ? predicted.report.nodes[i].requests : 0;
      fmt::print("{:<8} {:<22} {:>10} {:>7.1f}%   {:>10} {:>7.1f}%   {:>7.1f}%\n", n.name, n.address, via_count,
                 100.0 * static_cast<double>(via_count) / total_via, model_count,
                 100.0 * static_cast<double>(model_count) / total_model,
                 n.served > 0 ? 100.0 * static_cast<double>(n.hits) / static_cast<double>(n.served) : 0.0);
    }
    const Histogram& h = load.latency_ns;
    fmt::print("\nLatency through the proxy, from each request's intended send time: p50 {}  p99 {}  max {}\n",
               us(h.quantile(0.5)), us(h.quantile(0.99)), us(h.quantile(1.0)));
    fmt::print("Model (virtual clock, same seed): p50 {}  p99 {}\n", us(predicted.report.total.p50_us * 1000),
               us(predicted.report.total.p99_us * 1000));
    print_failures(load);
  }
  if (load.interrupted) return kInterrupted;
  return load.issued == load.completed + load.failed ? kOk : kRuntimeError;
}

int target_command(const RunOptions& run, const ViaOptions& via) {
  std::string why;
  const auto target = parse_host_port(via.target, &why);
  if (!target) {
    fmt::print(stderr, "loadlab-cli: error: --target: '{}': {}\n", via.target, why);
    return kBadInput;
  }
  if (!via.proxy.empty()) {
    fmt::print(stderr, "loadlab-cli: error: --target and --via: give one (--via starts its own proxy)\n");
    return kBadInput;
  }
  if (!connections_ok(via)) return kBadInput;
  if (via.timeout_ms == 0 || via.timeout_ms > 3'600'000) {
    fmt::print(stderr, "loadlab-cli: error: --timeout-ms: must be from 1 to 3600000 (got {})\n", via.timeout_ms);
    return kBadInput;
  }
  const std::optional<Scenario> loaded = load_or_say_why(run);
  if (!loaded) return kBadInput;
  const Scenario& scenario = *loaded;
  HttpLoadOptions options;
  options.target = *target;
  options.connections = via.connections;
  options.timeout = std::chrono::milliseconds(via.timeout_ms);
  StopOnSignals signals;
  HttpLoadResult load;
  try {
    load = run_http_load(scenario, options, &g_stop);
  } catch (const std::exception& e) {
    fmt::print(stderr, "loadlab-cli: error: --target {}: {}\n", via.target, e.what());
    return kRuntimeError;
  }
  if (!run.quiet) {
    fmt::print("To {} ({} connections): {} requests, {} answered 2xx, {} failed, {:.0f} req/s over {:.2f} s\n",
               target->to_string(), via.connections, load.issued, load.completed, load.failed,
               load.elapsed_s > 0 ? static_cast<double>(load.completed) / load.elapsed_s : 0.0, load.elapsed_s);
    for (const auto& [node, count] : load.by_node)
      fmt::print("  node {:<8} {:>10} {:>7.1f}%\n", node, count,
                 100.0 * static_cast<double>(count) / static_cast<double>(std::max<std::uint64_t>(1, load.completed)));
    const Histogram& h = load.latency_ns;
    fmt::print("Latency{}: p50 {}  p99 {}  max {}\n",
               scenario.workload.mode == Workload::Mode::open ? " from each request's intended send time" : "",
               us(h.quantile(0.5)), us(h.quantile(0.99)), us(h.quantile(1.0)));
    print_failures(load);
  }
  if (load.interrupted) return kInterrupted;
  return load.failed == 0 ? kOk : kRuntimeError;
}

}  // namespace loadlab::cli
