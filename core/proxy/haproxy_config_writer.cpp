#include "proxy/haproxy_config_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "proxy/backend_addresses.h"
#include "proxy/config_duration.h"
#include "proxy/export_scope.h"

namespace loadlab {
namespace {

struct Method {
  std::vector<std::string> lines;  // balance and hash-type lines of the backend
  bool weighted = true;
};

Method balancing_method(const Scenario& s, ExportNotes& notes) {
  const std::string& b = s.balancer;
  if (b == "round-robin") return {{"balance roundrobin"}, false};
  if (b == "weighted-round-robin") {
    notes.note(
        "HAProxy's roundrobin interleaves servers by weight like nginx's smooth round robin; the order "
        "within a cycle may differ, the shares do not");
    return {{"balance roundrobin"}, true};
  }
  if (b == "random") return {{"balance random(1)"}, false};
  if (b == "weighted-random") return {{"balance random(1)"}, true};
  if (b == "least-connections") return {{"balance leastconn"}, true};
  if (b == "p2c") return {{fmt::format("balance random({})", s.balancer_params.choices)}, true};
  if (b == "ring-hash") {
    notes.note(
        fmt::format("HAProxy places its own number of ring points per unit of weight (LoadLab's model: "
                    "{}); keys land on different servers, the shares are alike",
                    s.balancer_params.vnodes));
    return {{"balance uri", "hash-type consistent"}, true};
  }
  if (b == "bounded-load") {
    // HAProxy's factor is a percentage of the average load, as LoadLab's is a multiple of it.
    const long percent = std::lround(s.balancer_params.balance_factor * 100);
    return {{"balance uri", "hash-type consistent", fmt::format("hash-balance-factor {}", percent)}, true};
  }
  if (b == "key-hash") return {{"balance uri", "hash-type map-based"}, true};
  if (b == "maglev") {
    notes.unsupported("balancer 'maglev'", "HAProxy has no Maglev hashing (Envoy does: --to envoy)",
                      "balance uri with hash-type consistent");
    return {{"balance uri", "hash-type consistent"}, true};
  }
  if (b == "peak-ewma") {
    notes.unsupported("balancer 'peak-ewma'", "HAProxy has no latency-aware balancing", "balance leastconn");
    return {{"balance leastconn"}, true};
  }
  notes.unsupported(fmt::format("balancer '{}'", b), "HAProxy has no equivalent", "balance roundrobin");
  return {{"balance roundrobin"}, true};
}

// HAProxy server names are identifiers; LoadLab's node names may hold any character.
std::string server_name(const std::string& name, std::size_t index, std::vector<std::string>& used,
                        ExportNotes& notes) {
  std::string out;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  if (std::find(used.begin(), used.end(), out) != used.end()) out += fmt::format("_{}", index);
  if (out != name)
    notes.note(fmt::format("node '{}' is server '{}' (HAProxy names are identifiers)", one_line(name), out));
  used.push_back(out);
  return out;
}

}  // namespace

ProxyConfig HaproxyConfigWriter::write(const Scenario& s) const {
  ExportNotes notes("HAProxy", options_.best_effort);
  check_export_scope(s, notes);
  const auto addresses = backend_addresses(s, options_);
  const HostPort listen = proxy_listen_address(options_);
  const Method method = balancing_method(s, notes);
  const auto weights = method.weighted ? export_weights(s, notes, 256) : std::vector<std::uint64_t>{};

  // Health: HAProxy observes errors only on servers that are checked, and brings a server
  // back only through checks. Active checks map one to one; passive checks and outlier
  // ejection become `observe layer7` with an error limit, plus checks that bring the server
  // back (at the passive timeout's pace when the scenario has no active checks).
  const HealthCheckConfig& h = s.health;
  const bool active = h.active_interval_ms > 0;
  const unsigned error_limit = h.consecutive_failures > 0 ? h.consecutive_failures : h.max_fails;
  std::string server_options;
  if (active) {
    server_options +=
        fmt::format(" check inter {} rise {} fall {}", format_duration(h.active_interval_ms / 1000), h.rise, h.fall);
  } else if (error_limit > 0) {
    const double back_after = h.consecutive_failures > 0 ? h.base_ejection_s : h.fail_timeout_s;
    server_options += fmt::format(" check inter {} rise 1 fall {}", format_duration(back_after), h.fall);
    notes.note(
        fmt::format("HAProxy brings a marked-down server back after a good health check (every {}) "
                    "instead of after a fixed timeout",
                    format_duration(back_after)));
  }
  if (error_limit > 0) {
    server_options += fmt::format(" observe layer7 error-limit {} on-error mark-down", error_limit);
    if (h.consecutive_failures == 0)
      notes.note(
          fmt::format("HAProxy counts consecutive errors (error-limit {}) where nginx's max_fails counts "
                      "them within fail_timeout",
                      error_limit));
    else if (h.max_fails > 0)
      notes.note(
          fmt::format("HAProxy has one error limit: outlier ejection's {} consecutive failures is used, "
                      "passive checks' max_fails {} is not",
                      h.consecutive_failures, h.max_fails));
  }
  if (h.panic_threshold > 0)
    notes.note(
        fmt::format("HAProxy has no panic threshold ({:.0f}% in the model): with every server down it "
                    "answers 503",
                    h.panic_threshold));
  if (h.slow_start_s > 0) {
    server_options += " slowstart " + format_duration(h.slow_start_s);
    notes.note("HAProxy's slowstart ramps the weight up from almost nothing, LoadLab's from 10%");
  }

  std::string body = "\nglobal\n  maxconn 4096\n\n";
  body += "defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n\n";
  body += fmt::format("frontend loadlab\n  bind {}\n  default_backend loadlab\n\n", listen.to_string());
  body += "backend loadlab\n";
  for (const auto& line : method.lines) body += "  " + line + "\n";
  if (s.retry.max_retries > 0) {
    body += fmt::format("  retries {}\n", s.retry.max_retries);
    body += "  retry-on conn-failure empty-response 503\n";
    body += "  option redispatch 1\n";  // every retry may go to another server, as the model's do
    notes.note(fmt::format("HAProxy has no retry budget (LoadLab's caps retries at {:.0f}% of requests)",
                           s.retry.budget * 100));
  } else {
    body += "  retries 0\n";
  }
  if (!server_options.empty()) {
    body += fmt::format("  option httpchk GET {}\n", kHealthPath);
    body += "  default-server" + server_options + "\n";
  }
  std::vector<std::string> used;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const std::uint64_t w = method.weighted ? weights[i] : (s.nodes[i].weight > 0 ? 1 : 0);
    body += fmt::format("  server {} {} weight {}\n", server_name(s.nodes[i].name, i, used, notes),
                        addresses[i].to_string(), w);
  }

  std::string out = fmt::format(
      "# HAProxy configuration for the LoadLab scenario \"{}\" (loadlab-cli export --to haproxy).\n", one_line(s.name));
  out += "# Requests carry their key in the path (GET /key/<key>); the backends are LoadLab nodes.\n";
  for (const auto& n : notes.notes()) out += "# LoadLab: " + one_line(n) + "\n";
  return {out + body, notes.notes()};
}

}  // namespace loadlab
