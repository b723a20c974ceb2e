#pragma once
// Exporting a scenario as a real proxy's configuration (nginx, HAProxy, Envoy). Each product
// is one ProxyConfigWriter in its own file, found by name in proxy_config_registry.h.
//
// A writer maps what the product can express and refuses what it cannot: by default an
// unexpressible setting is an error naming the setting (ProxyExportError), so a user never
// deploys a configuration that silently balances differently from the model they tuned; with
// best_effort it becomes a comment in the file (and a note) instead. What the product does
// differently in detail but to the same effect (nginx's 160 ring points per weight against
// LoadLab's vnodes, say) is always a note.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace loadlab {

struct ProxyExportOptions {
  bool best_effort = false;
  std::string listen = "127.0.0.1:8080";  // where the proxy itself accepts requests
  // Nodes without a url get 127.0.0.1 and consecutive ports from here (a, b, c, ...).
  std::uint16_t first_node_port = 8081;
  // Instead of the scenario's urls: one host:port per node, in order (for a run that started
  // the nodes itself on ports the OS chose).
  std::vector<std::string> node_addresses;
  // Relative paths (pid, temp files) are resolved against the proxy's prefix; a test or a
  // run sets it to a private directory so nothing is written elsewhere.
};

struct ProxyConfig {
  std::string text;                // the whole configuration file
  std::vector<std::string> notes;  // what differs from the model, one sentence each
};

class ProxyExportError : public std::runtime_error {
 public:
  ProxyExportError(std::string setting, const std::string& problem)
      : std::runtime_error(setting + ": " + problem), setting_(std::move(setting)) {}
  const std::string& setting() const { return setting_; }

 private:
  std::string setting_;
};

class ProxyConfigWriter {
 public:
  virtual ~ProxyConfigWriter() = default;
  // Throws ProxyExportError for a setting the product cannot express (unless best_effort)
  // and ScenarioError for an invalid scenario.
  virtual ProxyConfig write(const Scenario& scenario) const = 0;
};

// Requests reach a LoadLab node as GET /key/<key> (PUT for a write): the hashing balancers
// hash the path, which carries the key, so nginx, HAProxy and Envoy need no query parameter.
inline constexpr const char* kKeyPathPrefix = "/key/";
inline constexpr const char* kHealthPath = "/healthz";

}  // namespace loadlab
