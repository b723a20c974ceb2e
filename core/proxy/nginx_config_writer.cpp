#include "proxy/nginx_config_writer.h"

#include <fmt/format.h>

#include "proxy/backend_addresses.h"
#include "proxy/config_duration.h"
#include "proxy/export_scope.h"

namespace loadlab {
namespace {

// The upstream's balancing directive ("" for nginx's default, smooth weighted round robin)
// and whether nginx reads the servers' weights under it.
struct Method {
  std::string directive;
  bool weighted = true;
};

Method balancing_method(const Scenario& s, ExportNotes& notes) {
  const std::string& b = s.balancer;
  if (b == "round-robin") return {"", false};
  if (b == "weighted-round-robin") return {"", true};
  if (b == "random") return {"random", false};
  if (b == "weighted-random") return {"random", true};
  if (b == "least-connections") return {"least_conn", true};
  if (b == "p2c") {
    if (s.balancer_params.choices != 2)
      notes.unsupported("balancer_params.choices",
                        fmt::format("nginx's random samples exactly two servers, not {}", s.balancer_params.choices),
                        "random two least_conn");
    return {"random two least_conn", true};
  }
  if (b == "ring-hash") {
    notes.note(
        fmt::format("nginx's consistent hash (ketama) puts 160 points per unit of weight on its ring, "
                    "LoadLab's model {}; keys land on different servers, the shares are alike",
                    s.balancer_params.vnodes));
    return {"hash $uri consistent", true};
  }
  if (b == "key-hash") {
    notes.note(
        "nginx's plain hash is CRC32 of the path modulo the total weight: keys land on other servers than "
        "in LoadLab's model, and nearly all move when a server is added, as in the model");
    return {"hash $uri", true};
  }
  if (b == "bounded-load") {
    notes.unsupported("balancer 'bounded-load'",
                      "nginx's consistent hash has no load bound (HAProxy's hash-balance-factor and Envoy's "
                      "hash_balance_factor do: --to haproxy or --to envoy)",
                      "hash $uri consistent");
    return {"hash $uri consistent", true};
  }
  if (b == "maglev") {
    notes.unsupported("balancer 'maglev'", "nginx has no Maglev hashing (Envoy does: --to envoy)",
                      "hash $uri consistent");
    return {"hash $uri consistent", true};
  }
  if (b == "peak-ewma") {
    notes.unsupported("balancer 'peak-ewma'",
                      "nginx open source has no latency-aware balancing (nginx Plus's least_time is closest)",
                      "least_conn");
    return {"least_conn", true};
  }
  notes.unsupported(fmt::format("balancer '{}'", b), "nginx has no equivalent", "round robin");
  return {"", true};
}

}  // namespace

ProxyConfig NginxConfigWriter::write(const Scenario& s) const {
  ExportNotes notes("nginx", options_.best_effort);
  check_export_scope(s, notes);
  const auto addresses = backend_addresses(s, options_);
  const HostPort listen = proxy_listen_address(options_);
  const Method method = balancing_method(s, notes);
  // nginx takes any positive integer weight; 1,000,000 keeps the ratios of any two weights
  // LoadLab accepts and still adds up in nginx's int arithmetic.
  const auto weights = method.weighted ? export_weights(s, notes, 1'000'000) : std::vector<std::uint64_t>{};

  const HealthCheckConfig& h = s.health;
  if (h.active_interval_ms > 0)
    notes.unsupported("health.active_interval_ms",
                      "nginx open source has no active health checks (nginx Plus's health_check has; "
                      "HAProxy and Envoy too)",
                      "passive checks only");
  if (h.consecutive_failures > 0)
    notes.unsupported("health.consecutive_failures",
                      "nginx has no outlier ejection; its passive check (max_fails within fail_timeout) is the "
                      "nearest",
                      "max_fails/fail_timeout only");
  if (h.slow_start_s > 0)
    notes.unsupported("health.slow_start_s", "nginx open source has no slow start (nginx Plus's slow_start has)",
                      "full weight at once");
  if (s.retry.max_retries > 0)
    notes.note(
        fmt::format("nginx tries at most {} servers per request but has no retry budget (LoadLab's caps "
                    "retries at {:.0f}% of requests)",
                    s.retry.max_retries + 1, s.retry.budget * 100));

  std::string out;
  out += fmt::format("# nginx configuration for the LoadLab scenario \"{}\" (loadlab-cli export --to nginx).\n",
                     one_line(s.name));
  out += "# Requests carry their key in the path (GET /key/<key>); the backends are LoadLab nodes.\n";
  for (const auto& n : notes.notes()) out += "# LoadLab: " + one_line(n) + "\n";
  out += "\nworker_processes 1;\n";
  out += "pid loadlab-nginx.pid;\n";
  out += "error_log stderr warn;\n";
  out += "events {\n  worker_connections 4096;\n}\n\n";
  out += "http {\n";
  out += "  access_log off;\n";
  out += "  client_body_temp_path client_body_temp;\n  proxy_temp_path proxy_temp;\n";
  out += "  fastcgi_temp_path fastcgi_temp;\n  uwsgi_temp_path uwsgi_temp;\n  scgi_temp_path scgi_temp;\n\n";
  out += "  upstream loadlab {\n";
  if (!method.directive.empty()) out += "    " + method.directive + ";\n";
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    std::string line = "    server " + addresses[i].to_string();
    const bool removed = s.nodes[i].weight <= 0;
    if (method.weighted && !removed && weights[i] != 1) line += fmt::format(" weight={}", weights[i]);
    line += fmt::format(" max_fails={} fail_timeout={}", h.max_fails, format_duration(h.fail_timeout_s));
    if (removed) line += " down";  // nginx has no weight 0; down takes the server out the same way
    line += fmt::format(";  # node {}\n", one_line(s.nodes[i].name));
    out += line;
  }
  out += "    keepalive 64;\n  }\n\n";
  out += "  server {\n";
  out += fmt::format("    listen {};\n", listen.to_string());
  out += "    location / {\n";
  out += "      proxy_pass http://loadlab;\n";
  out += "      proxy_http_version 1.1;\n";
  out += "      proxy_set_header Connection \"\";\n";
  if (s.retry.max_retries > 0) {
    out += "      proxy_next_upstream error timeout http_502 http_503 http_504;\n";
    out += fmt::format("      proxy_next_upstream_tries {};\n", s.retry.max_retries + 1);
  } else {
    // nginx's default passes a failed request on to the next server; the model does not.
    out += "      proxy_next_upstream off;\n";
  }
  out += "    }\n  }\n}\n";
  return {std::move(out), notes.notes()};
}

}  // namespace loadlab
