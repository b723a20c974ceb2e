// HAProxy backend (or listen) section → scenario. Sections are read line by line as HAProxy
// does; a `defaults` section before the backend supplies what the backend does not say.
// HAProxy's own defaults apply otherwise: balance roundrobin, weight 1, inter 2s, rise 2,
// fall 3, retries 3 (on connection failures), and no passive check unless `observe` is set.
#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "base/host_port.h"
#include "proxy/config_duration.h"
#include "proxy/proxy_import.h"

namespace loadlab {
namespace {

struct Line {
  std::size_t number;
  std::vector<std::string> words;
};

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '#') break;
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (quote) throw ProxyImportError("unclosed quote");
  if (in_word) words.push_back(std::move(word));
  return words;
}

bool is_section_keyword(const std::string& w) {
  static const char* const kSections[] = {"global",      "defaults", "frontend", "backend",    "listen",
                                          "resolvers",   "peers",    "userlist", "mailers",    "program",
                                          "http-errors", "cache",    "ring",     "log-forward"};
  for (const char* s : kSections)
    if (w == s) return true;
  return false;
}

struct Section {
  std::string kind, name;
  std::size_t line = 0;
  std::vector<Line> lines;
};

unsigned parse_count(std::size_t line, const std::string& what, std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value > max)
    throw ProxyImportError(fmt::format("line {}: {} '{}' must be a whole number from 0 to {}", line, what, text, max));
  return value;
}

double parse_ms(std::size_t line, const std::string& what, std::string_view text) {
  auto s = parse_duration(text, BareNumberUnit::milliseconds);
  if (!s) throw ProxyImportError(fmt::format("line {}: {} '{}' is not a duration (2000, 2s)", line, what, text));
  return *s * 1000;
}

// What a server line or default-server says about checks and weights.
struct ServerParams {
  std::optional<unsigned> weight;
  bool check = false;
  std::optional<double> inter_ms;
  std::optional<unsigned> rise, fall, error_limit;
  bool observe = false;
  std::optional<double> slowstart_s;
  bool disabled = false, backup = false;
};

// Reads the server parameters from words[from...]; lists what it does not model.
void read_server_params(const Line& l, std::size_t from, ServerParams& p, ProxyImport& out) {
  const auto& w = l.words;
  auto value = [&](std::size_t& i) -> const std::string& {
    if (i + 1 >= w.size()) throw ProxyImportError(fmt::format("line {}: '{}' needs a value", l.number, w[i]));
    return w[++i];
  };
  for (std::size_t i = from; i < w.size(); ++i) {
    const std::string& k = w[i];
    if (k == "weight") {
      p.weight = parse_count(l.number, "weight", value(i), 256);
    } else if (k == "check") {
      p.check = true;
    } else if (k == "no-check") {
      p.check = false;
    } else if (k == "inter") {
      p.inter_ms = parse_ms(l.number, "inter", value(i));
    } else if (k == "rise") {
      p.rise = parse_count(l.number, "rise", value(i), 100);
    } else if (k == "fall") {
      p.fall = parse_count(l.number, "fall", value(i), 100);
    } else if (k == "observe") {
      const std::string& v = value(i);
      p.observe = true;
      if (v != "layer7" && v != "layer4")
        throw ProxyImportError(fmt::format("line {}: observe '{}' must be layer4 or layer7", l.number, v));
    } else if (k == "error-limit") {
      p.error_limit = parse_count(l.number, "error-limit", value(i), 1'000'000);
    } else if (k == "on-error") {
      const std::string& v = value(i);
      if (v != "mark-down" && v != "sudden-death")
        out.not_modelled.push_back(fmt::format("line {}: on-error {}: the model marks the server down", l.number, v));
    } else if (k == "slowstart") {
      p.slowstart_s = parse_ms(l.number, "slowstart", value(i)) / 1000;
    } else if (k == "disabled") {
      p.disabled = true;
    } else if (k == "enabled") {
      p.disabled = false;
    } else if (k == "backup") {
      p.backup = true;
    } else if (k == "maxconn" || k == "maxqueue" || k == "minconn" || k == "port" || k == "addr" || k == "cookie" ||
               k == "fastinter" || k == "downinter" || k == "agent-check" || k == "agent-port" || k == "agent-inter" ||
               k == "ssl" || k == "verify" || k == "sni" || k == "alpn" || k == "proto" || k == "send-proxy" ||
               k == "resolvers" || k == "init-addr" || k == "pool-max-conn" || k == "pool-purge-delay" ||
               k == "check-ssl" || k == "id") {
      // Parameters with a value take it along; the flags alone stand.
      static const char* const kFlags[] = {"ssl", "send-proxy", "check-ssl", "agent-check"};
      bool flag = false;
      for (const char* f : kFlags) flag = flag || k == f;
      const std::string shown = flag ? k : k + " " + value(i);
      out.not_modelled.push_back(fmt::format("line {}: server parameter '{}' is not modelled", l.number, shown));
    } else {
      out.unknown.push_back(fmt::format("line {}: unknown server parameter '{}'", l.number, k));
    }
  }
}

void merge(ServerParams& into, const ServerParams& from) {
  if (from.weight) into.weight = from.weight;
  into.check = into.check || from.check;
  if (from.inter_ms) into.inter_ms = from.inter_ms;
  if (from.rise) into.rise = from.rise;
  if (from.fall) into.fall = from.fall;
  if (from.error_limit) into.error_limit = from.error_limit;
  into.observe = into.observe || from.observe;
  if (from.slowstart_s) into.slowstart_s = from.slowstart_s;
  into.disabled = into.disabled || from.disabled;
  into.backup = into.backup || from.backup;
}

}  // namespace

ProxyImport import_haproxy(std::string_view text, const std::string& block) {
  if (text.size() > kMaxProxyConfigBytes)
    throw ProxyImportError(fmt::format("the file is {} bytes; at most {} are read", text.size(), kMaxProxyConfigBytes));
  std::vector<Section> sections;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    ++number;
    std::vector<std::string> words;
    try {
      words = split_words(text.substr(start, end - start));
    } catch (const ProxyImportError& e) {
      throw ProxyImportError(fmt::format("line {}: {}", number, e.what()));
    }
    start = end + 1;
    if (words.empty()) continue;
    if (is_section_keyword(words[0])) {
      sections.push_back({words[0], words.size() > 1 ? words[1] : "", number, {}});
      continue;
    }
    if (sections.empty())
      throw ProxyImportError(
          fmt::format("line {}: '{}' before any section (global, defaults, backend, ...)", number, words[0]));
    sections.back().lines.push_back({number, std::move(words)});
  }

  std::vector<std::size_t> candidates;
  std::string names;
  for (std::size_t i = 0; i < sections.size(); ++i)
    if (sections[i].kind == "backend" || sections[i].kind == "listen") {
      candidates.push_back(i);
      names += (names.empty() ? "" : ", ") + sections[i].name;
    }
  if (candidates.empty())
    throw ProxyImportError("no backend or listen section: nothing says which servers to balance over");
  std::size_t chosen = candidates[0];
  if (block.empty()) {
    if (candidates.size() > 1)
      throw ProxyImportError(fmt::format("{} backends ({}): say which with --upstream", candidates.size(), names));
  } else {
    bool found = false;
    for (auto c : candidates)
      if (sections[c].name == block) {
        chosen = c;
        found = true;
      }
    if (!found) throw ProxyImportError(fmt::format("no backend '{}' (found: {})", block, names));
  }
  // The last defaults section before the chosen one applies to it.
  const Section* defaults = nullptr;
  for (std::size_t i = 0; i < chosen; ++i)
    if (sections[i].kind == "defaults") defaults = &sections[i];

  ProxyImport out;
  Scenario& s = out.scenario;
  s.name = fmt::format("HAProxy backend {}", sections[chosen].name);
  s.description = "Imported from an HAProxy configuration (loadlab-cli import).";
  s.nodes.clear();
  std::string balance = "roundrobin";
  std::size_t balance_line = 0;
  std::string hash_type = "map-based";
  unsigned hash_balance_factor = 0;
  unsigned retries = 3;  // HAProxy's default
  bool redispatch = false;
  ServerParams defaults_params;
  struct Server {
    std::string name, address;
    ServerParams params;
    std::size_t line;
  };
  std::vector<Server> servers;

  auto read_section = [&](const Section& sec, bool is_backend) {
    for (const Line& l : sec.lines) {
      const auto& w = l.words;
      const std::string& k = w[0];
      auto arg = [&](std::size_t i) -> const std::string& {
        if (i >= w.size()) throw ProxyImportError(fmt::format("line {}: '{}' needs a value", l.number, k));
        return w[i];
      };
      if (k == "balance") {
        balance = arg(1);
        balance_line = l.number;
      } else if (k == "hash-type") {
        hash_type = arg(1);
      } else if (k == "hash-balance-factor") {
        hash_balance_factor = parse_count(l.number, "hash-balance-factor", arg(1), 100'000);
      } else if (k == "retries") {
        retries = parse_count(l.number, "retries", arg(1), 1'000'000);
      } else if (k == "option" && w.size() > 1 && w[1] == "redispatch") {
        redispatch = !(w.size() > 2 && w[2] == "0");
      } else if (k == "no" && w.size() > 2 && w[1] == "option" && w[2] == "redispatch") {
        redispatch = false;
      } else if (k == "default-server") {
        read_server_params(l, 1, defaults_params, out);
      } else if (k == "server" && is_backend) {
        if (w.size() < 3) throw ProxyImportError(fmt::format("line {}: server needs a name and an address", l.number));
        Server srv{w[1], w[2], {}, l.number};
        read_server_params(l, 3, srv.params, out);
        servers.push_back(std::move(srv));
      } else if (k == "mode" || k == "timeout" || k == "log" || k == "maxconn" || k == "option" || k == "bind" ||
                 k == "default_backend" || k == "http-request" || k == "http-response" || k == "retry-on" ||
                 k == "http-check" || k == "fullconn" || k == "cookie" || k == "stick-table" || k == "stick" ||
                 k == "acl" || k == "use_backend" || k == "errorfile" || k == "compression") {
        out.not_modelled.push_back(fmt::format("line {}: {}: not modelled", l.number, k));
      } else {
        out.unknown.push_back(fmt::format("line {}: unknown directive '{}'", l.number, k));
      }
    }
  };
  if (defaults) read_section(*defaults, false);
  read_section(sections[chosen], true);

  // The balancing algorithm, with its arguments: random(2), uri whole, url_param key, ...
  const std::string alg = balance.substr(0, balance.find('('));
  if (alg == "roundrobin" || alg == "static-rr") {
    s.balancer = "weighted-round-robin";
  } else if (alg == "leastconn") {
    s.balancer = "least-connections";
  } else if (alg == "random") {
    unsigned draws = 2;  // HAProxy's default: power of two choices
    if (const auto open = balance.find('('); open != std::string::npos) {
      const auto close = balance.find(')', open);
      if (close == std::string::npos)
        throw ProxyImportError(fmt::format("line {}: balance '{}' is missing its ')'", balance_line, balance));
      draws = parse_count(balance_line, "random draws", balance.substr(open + 1, close - open - 1), 64);
      if (draws == 0) throw ProxyImportError(fmt::format("line {}: random draws must be at least 1", balance_line));
    }
    if (draws == 1) {
      s.balancer = "weighted-random";
    } else {
      s.balancer = "p2c";
      s.balancer_params.choices = draws;
    }
  } else if (alg == "uri" || alg == "url_param" || alg == "hdr" || alg == "rdp-cookie" || alg == "hash") {
    if (hash_type == "consistent") {
      if (hash_balance_factor > 0) {
        s.balancer = "bounded-load";
        s.balancer_params.balance_factor = hash_balance_factor / 100.0;
      } else {
        s.balancer = "ring-hash";
      }
    } else {
      s.balancer = "key-hash";
    }
    if (alg != "uri" && alg != "url_param")
      out.not_modelled.push_back(
          fmt::format("line {}: balance {}: the model hashes each request's key", balance_line, alg));
  } else if (alg == "source") {
    s.balancer = "key-hash";
    out.not_modelled.push_back(fmt::format(
        "line {}: balance source: clients are not modelled by address; imported as hashing of the request's key",
        balance_line));
  } else {
    s.balancer = "weighted-round-robin";
    out.not_modelled.push_back(
        fmt::format("line {}: balance {}: not modelled; imported as round robin", balance_line, balance));
  }

  bool first = true;
  for (Server& srv : servers) {
    ServerParams p = defaults_params;
    merge(p, srv.params);
    if (p.backup) {
      out.not_modelled.push_back(
          fmt::format("line {}: backup server {} is not modelled; left out", srv.line, srv.name));
      continue;
    }
    std::string why;
    auto hp = parse_host_port(srv.address, &why, /*allow_scheme=*/false);
    if (!hp)
      throw ProxyImportError(fmt::format("line {}: server {} address '{}': {}", srv.line, srv.name, srv.address, why));
    NodeSpec n;
    n.name = srv.name;
    n.url = "http://" + hp->to_string();
    n.weight = p.disabled ? 0 : p.weight.value_or(1);
    s.nodes.push_back(std::move(n));
    // Checks are per server in HAProxy, per cluster in the model: the first server's
    // settings stand for all.
    HealthCheckConfig h;
    h.max_fails = 0;        // HAProxy has no passive check without `observe`
    h.panic_threshold = 0;  // nor a panic threshold
    if (p.check) {
      h.active_interval_ms = p.inter_ms.value_or(2000);
      h.rise = p.rise.value_or(2);
      h.fall = p.fall.value_or(3);
    }
    if (p.observe) {
      if (!p.check)
        out.not_modelled.push_back(
            fmt::format("line {}: observe without check: HAProxy ignores it; so does the model", srv.line));
      else
        h.consecutive_failures = p.error_limit.value_or(10);  // HAProxy's default error-limit
    }
    if (p.slowstart_s) h.slow_start_s = *p.slowstart_s;
    if (first) {
      s.health = h;
      first = false;
    } else if (h.active_interval_ms != s.health.active_interval_ms || h.rise != s.health.rise ||
               h.fall != s.health.fall || h.consecutive_failures != s.health.consecutive_failures ||
               h.slow_start_s != s.health.slow_start_s) {
      out.not_modelled.push_back(
          fmt::format("line {}: server {} has other check settings than the first server; the model uses one for all",
                      srv.line, srv.name));
    }
  }
  if (s.nodes.empty())
    throw ProxyImportError(fmt::format("line {}: backend '{}' has no server LoadLab can model", sections[chosen].line,
                                       sections[chosen].name));
  // HAProxy retries a failed connection on the same server unless redispatch is on; the
  // model's retries always go elsewhere, so only redispatching retries carry over.
  s.retry.max_retries = redispatch ? std::min(retries, 10u) : 0;
  if (!redispatch && retries > 0)
    out.not_modelled.push_back(fmt::format(
        "retries {} without option redispatch retry the same server; the model has no such retries", retries));
  validate(s);
  return out;
}

std::optional<ProxyKind> detect_proxy_kind(std::string_view text) {
  // An nginx upstream is "upstream NAME {"; an HAProxy backend a line starting "backend" or "listen".
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);
    if (line.substr(0, 9) == "upstream " && line.find('{') != std::string_view::npos) return ProxyKind::nginx;
    if (line.substr(0, 8) == "backend " || line.substr(0, 7) == "listen ") return ProxyKind::haproxy;
  }
  return std::nullopt;
}

}  // namespace loadlab
