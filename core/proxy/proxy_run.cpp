#include "proxy/proxy_run.h"

#include <stdlib.h>

#include <fmt/format.h>
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "proxy/proxy_config_registry.h"
#include "proxy/proxy_process.h"

namespace loadlab {
namespace fs = std::filesystem;
namespace {

struct PrivateDir {
  fs::path path;
  PrivateDir() {
    std::string tmpl = (fs::temp_directory_path() / "loadlab-via-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory for the proxy");
    path = tmpl;
  }
  ~PrivateDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Applies the scenario's kills and revives at their times, on its own thread.
class FaultPlayer {
 public:
  FaultPlayer(const Scenario& s, std::vector<std::unique_ptr<NodeHttpServer>>& nodes) {
    bool any = false;
    for (const auto& f : s.faults)
      any = any || f.action == FaultEvent::Action::kill || f.action == FaultEvent::Action::revive;
    if (!any) return;
    std::vector<FaultEvent> in_order = s.faults;
    std::stable_sort(in_order.begin(), in_order.end(),
                     [](const FaultEvent& a, const FaultEvent& b) { return a.at_s < b.at_s; });
    thread_ = std::thread([this, faults = std::move(in_order), &nodes] {
      const auto start = std::chrono::steady_clock::now();
      for (const auto& f : faults) {
        if (f.action != FaultEvent::Action::kill && f.action != FaultEvent::Action::revive) continue;
        std::unique_lock lock(mutex_);
        if (cv_.wait_until(lock, start + std::chrono::duration<double>(f.at_s), [this] { return done_; })) return;
        lock.unlock();
        try {
          if (f.action == FaultEvent::Action::kill) {
            nodes[f.node]->kill();
          } else {
            nodes[f.node]->revive();
          }
        } catch (const std::exception& e) {
          std::lock_guard errors(mutex_);
          error_ = e.what();
        }
      }
    });
  }
  ~FaultPlayer() { finish(); }
  void finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // A revival that failed (its port taken after all): the run reports it.
  std::string error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::string error_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

ProxyRunResult run_via_proxy(const Scenario& scenario, const ProxyRunOptions& options, const std::atomic<bool>* stop) {
  validate(scenario);
  if (options.proxy != "nginx" && options.proxy != "haproxy")
    throw ProxyExportError("--via", fmt::format("unknown proxy '{}' (known: nginx, haproxy)", options.proxy));
  if (!find_proxy_program(options.proxy))
    throw ProxyProcessError(fmt::format("{} not found on PATH or in /usr/sbin: install Debian's {}", options.proxy,
                                        proxy_package(options.proxy)));
  ProxyRunResult result;
  PrivateDir dir;
  std::vector<std::unique_ptr<NodeHttpServer>> nodes;
  ProxyExportOptions exp;
  exp.best_effort = options.best_effort;
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
    nodes.push_back(std::make_unique<NodeHttpServer>(scenario, i, options.node_limits));
    const HostPort at = nodes.back()->start({"127.0.0.1", 0});
    exp.node_addresses.push_back(at.to_string());
    result.nodes.push_back({scenario.nodes[i].name, at.to_string(), {}, 0, 0});
  }
  const HostPort listen{"127.0.0.1", pick_free_port()};
  exp.listen = listen.to_string();
  result.config = proxy_config_writers().make(options.proxy, exp)->write(scenario);
  {
    ProxyProcess proxy(options.proxy, result.config.text, dir.path, listen);
    HttpLoadOptions load;
    load.target = listen;
    load.connections = options.connections;
    FaultPlayer faults(scenario, nodes);
    result.load = run_http_load(scenario, load, stop);
    faults.finish();
    if (!faults.error().empty()) throw std::runtime_error("a scheduled revive failed: " + faults.error());
    proxy.stop();
    result.proxy_log = proxy.log();
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i]->drain(std::chrono::milliseconds(2000));
    result.nodes[i].http = nodes[i]->stats();
    result.nodes[i].served = nodes[i]->counters().completed.load();
    result.nodes[i].hits = nodes[i]->counters().hits.load();
  }
  return result;
}

}  // namespace loadlab
