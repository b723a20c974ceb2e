// nginx upstream → scenario. The inverse of NginxConfigWriter for what it writes, and a
// faithful reading of what users write by hand: nginx's defaults (weighted round robin,
// max_fails=1, fail_timeout=10s, and passing a failed request on to the next server) become
// the scenario's, so an upstream with no settings imports as the nginx it describes.
#include <fmt/format.h>

#include <charconv>

#include "base/host_port.h"
#include "proxy/config_duration.h"
#include "proxy/nginx_config_parser.h"
#include "proxy/proxy_import.h"

namespace loadlab {
namespace {

void collect_upstreams(const std::vector<NginxDirective>& list, std::vector<const NginxDirective*>& out) {
  for (const auto& d : list) {
    if (d.name == "upstream" && d.has_block) out.push_back(&d);
    // Blocks nest at most kMaxNginxNesting deep, so this recursion is bounded.
    collect_upstreams(d.children, out);
  }
}

// The first proxy_next_upstream(_tries) anywhere: they live in http, server or location.
const NginxDirective* find_directive(const std::vector<NginxDirective>& list, const std::string& name) {
  for (const auto& d : list) {
    if (d.name == name) return &d;
    if (const auto* found = find_directive(d.children, name)) return found;
  }
  return nullptr;
}

unsigned parse_count(const NginxDirective& d, const std::string& what, std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value > max)
    throw ProxyImportError(
        fmt::format("line {}: {} '{}' must be a whole number from 0 to {}", d.line, what, text, max));
  return value;
}

double parse_seconds(const NginxDirective& d, const std::string& what, std::string_view text) {
  auto s = parse_duration(text, BareNumberUnit::seconds);
  if (!s) throw ProxyImportError(fmt::format("line {}: {} '{}' is not a duration (10s, 500ms)", d.line, what, text));
  return *s;
}

}  // namespace

ProxyImport import_nginx(std::string_view text, const std::string& block) {
  const auto tree = parse_nginx_config(text);
  std::vector<const NginxDirective*> upstreams;
  collect_upstreams(tree, upstreams);
  if (upstreams.empty()) throw ProxyImportError("no upstream block: nothing says which servers to balance over");
  const NginxDirective* up = nullptr;
  std::string names;
  for (const auto* u : upstreams) names += (names.empty() ? "" : ", ") + (u->args.empty() ? "?" : u->args[0]);
  if (block.empty()) {
    if (upstreams.size() > 1)
      throw ProxyImportError(
          fmt::format("{} upstream blocks ({}): say which with --upstream", upstreams.size(), names));
    up = upstreams[0];
  } else {
    for (const auto* u : upstreams)
      if (!u->args.empty() && u->args[0] == block) up = u;
    if (!up) throw ProxyImportError(fmt::format("no upstream '{}' (found: {})", block, names));
  }
  const std::string upstream_name = up->args.empty() ? "" : up->args[0];

  ProxyImport out;
  Scenario& s = out.scenario;
  s.name = fmt::format("nginx upstream {}", upstream_name);
  s.description = "Imported from an nginx configuration (loadlab-cli import).";
  s.balancer = "weighted-round-robin";  // nginx's default
  // nginx has no panic threshold; its one rescue (forget the marks when all are failed) is
  // the model's too, whatever the threshold.
  s.health.panic_threshold = 0;
  s.nodes.clear();
  bool health_set = false;
  auto listed = [](const NginxDirective& d, const std::string& why) {
    return fmt::format("line {}: {}: {}", d.line, d.name, why);
  };

  for (const auto& d : up->children) {
    if (d.name == "server") {
      if (d.args.empty()) throw ProxyImportError(fmt::format("line {}: server without an address", d.line));
      const std::string& address = d.args[0];
      if (address.rfind("unix:", 0) == 0) {
        out.not_modelled.push_back(listed(d, fmt::format("'{}' is a unix socket; left out", address)));
        continue;
      }
      std::string why;
      auto hp = parse_host_port(address, &why, /*allow_scheme=*/false);
      if (!hp && address.find(':') == std::string::npos) hp = parse_host_port(address + ":80", &why, false);
      if (!hp) throw ProxyImportError(fmt::format("line {}: server address '{}': {}", d.line, address, why));
      NodeSpec n;
      n.name = default_node_name(s.nodes.size());
      n.url = "http://" + hp->to_string();
      unsigned max_fails = 1;
      double fail_timeout = 10;
      bool backup = false;
      for (std::size_t a = 1; a < d.args.size(); ++a) {
        const std::string& p = d.args[a];
        const auto eq = p.find('=');
        const std::string key = p.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : p.substr(eq + 1);
        if (key == "weight") {
          const unsigned w = parse_count(d, "weight", value, 1'000'000);
          if (w == 0) throw ProxyImportError(fmt::format("line {}: weight must be at least 1 (got 0)", d.line));
          n.weight = w;
        } else if (key == "max_fails") {
          max_fails = parse_count(d, "max_fails", value, 1'000'000);
        } else if (key == "fail_timeout") {
          fail_timeout = parse_seconds(d, "fail_timeout", value);
        } else if (key == "down") {
          n.weight = 0;  // marked permanently unavailable: no share, as weight 0 in the model
        } else if (key == "backup") {
          backup = true;
        } else if (key == "slow_start") {  // nginx Plus
          s.health.slow_start_s = parse_seconds(d, "slow_start", value);
        } else if (key == "max_conns" || key == "resolve" || key == "route" || key == "service" || key == "drain") {
          out.not_modelled.push_back(listed(d, fmt::format("server parameter '{}' is not modelled", p)));
        } else {
          out.unknown.push_back(listed(d, fmt::format("unknown server parameter '{}'", p)));
        }
      }
      if (backup) {
        out.not_modelled.push_back(listed(d, fmt::format("backup server {} is not modelled; left out", address)));
        continue;
      }
      // Passive checks are per server in nginx and per cluster in the model: the first
      // server's settings stand for all, and a different one is listed.
      if (!health_set) {
        s.health.max_fails = max_fails;
        s.health.fail_timeout_s = fail_timeout;
        health_set = true;
      } else if (max_fails != s.health.max_fails || fail_timeout != s.health.fail_timeout_s) {
        out.not_modelled.push_back(listed(d, fmt::format("max_fails={} fail_timeout={}s differ from the first "
                                                         "server's; the model uses one setting for all",
                                                         max_fails, fail_timeout)));
      }
      s.nodes.push_back(std::move(n));
    } else if (d.name == "least_conn") {
      s.balancer = "least-connections";
    } else if (d.name == "random") {
      if (d.args.empty()) {
        s.balancer = "weighted-random";
      } else if (d.args[0] == "two" && (d.args.size() == 1 || d.args[1] == "least_conn")) {
        s.balancer = "p2c";
        s.balancer_params.choices = 2;
      } else {
        // "random two least_time=header" (nginx Plus), or anything else after random.
        std::string args;
        for (const auto& a : d.args) args += " " + a;
        out.not_modelled.push_back(
            listed(d, fmt::format("'random{}' is not modelled; imported as power of two choices", args)));
        s.balancer = "p2c";
      }
    } else if (d.name == "hash") {
      if (d.args.empty()) throw ProxyImportError(fmt::format("line {}: hash needs a key", d.line));
      const bool consistent = d.args.size() > 1 && d.args[1] == "consistent";
      s.balancer = consistent ? "ring-hash" : "key-hash";
      if (d.args[0].find("uri") == std::string::npos && d.args[0].find("arg_") == std::string::npos)
        out.not_modelled.push_back(
            listed(d, fmt::format("nginx hashes '{}'; the model hashes each request's key", d.args[0])));
    } else if (d.name == "ip_hash") {
      out.not_modelled.push_back(
          listed(d, "clients are not modelled by address; imported as hashing of the request's key (key-hash)"));
      s.balancer = "key-hash";
    } else if (d.name == "keepalive" || d.name == "keepalive_timeout" || d.name == "keepalive_requests" ||
               d.name == "keepalive_time" || d.name == "zone" || d.name == "ntlm" || d.name == "queue" ||
               d.name == "sticky" || d.name == "resolver" || d.name == "resolver_timeout" || d.name == "least_time") {
      out.not_modelled.push_back(listed(d, "not modelled"));
    } else {
      out.unknown.push_back(listed(d, "unknown directive"));
    }
  }
  if (s.nodes.empty())
    throw ProxyImportError(
        fmt::format("line {}: upstream '{}' has no server LoadLab can model", up->line, upstream_name));

  // Retries: nginx passes a request that failed with an error or a timeout on to the next
  // server, up to every server (tries 0 means no limit), unless proxy_next_upstream is off.
  unsigned tries = 0;
  if (const auto* t = find_directive(tree, "proxy_next_upstream_tries"); t && !t->args.empty())
    tries = parse_count(*t, "proxy_next_upstream_tries", t->args[0], 1'000'000);
  const auto* next = find_directive(tree, "proxy_next_upstream");
  const bool off = next && !next->args.empty() && next->args[0] == "off";
  const unsigned servers = static_cast<unsigned>(s.nodes.size());
  const unsigned nginx_tries = tries == 0 ? servers : std::min(tries, servers);
  s.retry.max_retries = off ? 0 : std::min(nginx_tries - 1, 10u);
  if (!off && nginx_tries - 1 > 10)
    out.not_modelled.push_back(
        fmt::format("nginx may try {} servers per request; the model retries at most 10 times", nginx_tries));
  validate(s);
  return out;
}

}  // namespace loadlab
