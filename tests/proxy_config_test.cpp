// Export to nginx, HAProxy and Envoy, and import from nginx and HAProxy. The generated files
// are checked by the real programs (`nginx -t`, `haproxy -c`, from Debian) for every
// balancer they can express; Envoy's, which Debian does not package, by its structure.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "balancers/balancer_registry.h"
#include "base/host_port.h"
#include "proxy/config_duration.h"
#include "proxy/integer_weights.h"
#include "proxy/proxy_config_registry.h"
#include "proxy/proxy_import.h"
#include "scenario/scenario_json.h"

namespace loadlab {
namespace {

namespace fs = std::filesystem;

Scenario three_nodes(const std::string& balancer, std::vector<double> weights = {5, 3, 1}) {
  Scenario s;
  s.name = "test";
  s.balancer = balancer;
  s.nodes = default_nodes(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) s.nodes[i].weight = weights[i];
  return s;
}

ProxyConfig write(const std::string& proxy, const Scenario& s, bool best_effort = false) {
  ProxyExportOptions o;
  o.best_effort = best_effort;
  return proxy_config_writers().make(proxy, o)->write(s);
}

// Which balancers each product expresses exactly: the mapping the README's table documents.
bool expresses(const std::string& proxy, const std::string& balancer) {
  static const std::map<std::string, std::set<std::string>> kUnsupported = {
      {"nginx", {"bounded-load", "maglev", "peak-ewma"}},
      {"haproxy", {"maglev", "peak-ewma"}},
      {"envoy", {"least-connections", "key-hash", "peak-ewma", "weighted-random"}},  // 5/3/1: RANDOM ignores weights
  };
  return !kUnsupported.at(proxy).contains(balancer);
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "loadlab-proxy-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs a command, returns its exit status; its output goes to `log`.
int run(const std::string& command, const fs::path& log) {
  const int status = std::system((command + " > '" + log.string() + "' 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(HostPort, ParsesAddressesAndNamesWhatIsWrong) {
  auto hp = parse_host_port("http://10.0.0.5:8080/");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "10.0.0.5");
  EXPECT_EQ(hp->port, 8080);
  EXPECT_EQ(parse_host_port("[::1]:81")->to_string(), "[::1]:81");
  std::string why;
  EXPECT_FALSE(parse_host_port("http://a:0", &why));
  EXPECT_NE(why.find("port"), std::string::npos);
  EXPECT_FALSE(parse_host_port("https://a:80", &why));
  EXPECT_FALSE(parse_host_port("a:80/path", &why));
  EXPECT_FALSE(parse_host_port("a b:80", &why));
  EXPECT_FALSE(parse_host_port("a:80;", &why));
  EXPECT_FALSE(parse_host_port("http://a:80", &why, /*allow_scheme=*/false));
}

TEST(ConfigDuration, FormatsAndParsesAsTheProductsDo) {
  EXPECT_EQ(format_duration(10), "10s");
  EXPECT_EQ(format_duration(0.05), "50ms");
  EXPECT_EQ(format_protobuf_duration(0.5), "0.500s");
  EXPECT_DOUBLE_EQ(*parse_duration("2000", BareNumberUnit::milliseconds), 2.0);
  EXPECT_DOUBLE_EQ(*parse_duration("10", BareNumberUnit::seconds), 10.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1m30s", BareNumberUnit::seconds), 90.0);
  EXPECT_FALSE(parse_duration("10x", BareNumberUnit::seconds));
  EXPECT_FALSE(parse_duration("", BareNumberUnit::seconds));
  EXPECT_FALSE(parse_duration("1m30", BareNumberUnit::seconds));
}

TEST(IntegerWeights, KeepsRatiosExactlyOrSaysItCannot) {
  EXPECT_EQ(*exact_integer_weights(std::vector<double>{5, 3, 1}, 256), (std::vector<std::uint64_t>{5, 3, 1}));
  EXPECT_EQ(*exact_integer_weights(std::vector<double>{0.5, 1.5, 0}, 256), (std::vector<std::uint64_t>{1, 3, 0}));
  EXPECT_EQ(*exact_integer_weights(std::vector<double>{1.0 / 3, 1}, 256), (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(*exact_integer_weights(std::vector<double>{2, 4}, 256), (std::vector<std::uint64_t>{2, 4}));
  EXPECT_EQ(*exact_integer_weights(std::vector<double>{600, 300}, 256), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_FALSE(exact_integer_weights(std::vector<double>{1000, 1}, 256));  // HAProxy's weights end at 256
  EXPECT_FALSE(exact_integer_weights(std::vector<double>{M_PI, 1}, 256));
  const auto rounded = rounded_integer_weights(std::vector<double>{M_PI, 1}, 256);
  EXPECT_EQ(rounded, (std::vector<std::uint64_t>{256, 81}));
  EXPECT_LT(share_error(std::vector<double>{M_PI, 1}, rounded), 0.01);
}

TEST(ProxyExport, EveryBalancerIsExpressedOrRefusedByName) {
  for (const char* proxy : {"nginx", "haproxy", "envoy"}) {
    for (const auto& b : balancers().entries()) {
      SCOPED_TRACE(std::string(proxy) + " " + b.name);
      const Scenario s = three_nodes(b.name);
      if (expresses(proxy, b.name)) {
        EXPECT_NO_THROW(write(proxy, s));
      } else {
        try {
          write(proxy, s);
          ADD_FAILURE() << "exported a balancer the product cannot express";
        } catch (const ProxyExportError& e) {
          EXPECT_NE(e.setting().find(b.name), std::string::npos) << e.what();
        }
        // Best effort writes the nearest setting and says so.
        const ProxyConfig c = write(proxy, s, /*best_effort=*/true);
        bool said = false;
        for (const auto& n : c.notes) said = said || n.find("NOT EXPRESSED balancer '" + b.name) == 0;
        EXPECT_TRUE(said);
        if (std::string(proxy) != "envoy") {
          EXPECT_NE(c.text.find("# LoadLab: NOT EXPRESSED"), std::string::npos);
        }
      }
    }
  }
}

TEST(ProxyExport, HealthAndRetriesMapToEachProductsDirectives) {
  Scenario s = three_nodes("least-connections");
  s.health.active_interval_ms = 500;
  s.health.rise = 2;
  s.health.fall = 3;
  s.health.slow_start_s = 10;
  s.retry.max_retries = 2;
  const std::string haproxy = write("haproxy", s).text;
  EXPECT_NE(haproxy.find("balance leastconn"), std::string::npos);
  EXPECT_NE(haproxy.find("default-server check inter 500ms rise 2 fall 3"), std::string::npos);
  EXPECT_NE(haproxy.find("slowstart 10s"), std::string::npos);
  EXPECT_NE(haproxy.find("retries 2\n"), std::string::npos);
  EXPECT_NE(haproxy.find("option redispatch 1"), std::string::npos);
  EXPECT_NE(haproxy.find("server a 127.0.0.1:8081 weight 5"), std::string::npos);
  // nginx open source has neither active checks nor slow start.
  EXPECT_THROW(write("nginx", s), ProxyExportError);
  s.health.active_interval_ms = 0;
  s.health.slow_start_s = 0;
  const std::string nginx = write("nginx", s).text;
  EXPECT_NE(nginx.find("least_conn;"), std::string::npos);
  EXPECT_NE(nginx.find("server 127.0.0.1:8081 weight=5 max_fails=1 fail_timeout=10s;"), std::string::npos);
  EXPECT_NE(nginx.find("proxy_next_upstream_tries 3;"), std::string::npos);
  s.retry.max_retries = 0;
  EXPECT_NE(write("nginx", s).text.find("proxy_next_upstream off;"), std::string::npos);
}

TEST(ProxyExport, PartitioningIsTheDataStoresNotTheProxys) {
  Scenario s = three_nodes("weighted-round-robin");
  s.partitioning.kind = Partitioning::Kind::hash;
  s.partitioning.replication = 2;
  for (const char* proxy : {"nginx", "haproxy", "envoy"}) {
    try {
      write(proxy, s);
      ADD_FAILURE() << proxy;
    } catch (const ProxyExportError& e) {
      EXPECT_EQ(e.setting(), "partitioning");
    }
  }
}

TEST(ProxyExport, NamesCannotInjectDirectives) {
  Scenario s = three_nodes("weighted-round-robin");
  s.name = "evil\n}\nserver { listen 0.0.0.0:1;";
  s.nodes[0].name = "x y\nbind 0.0.0.0:1";
  for (const char* proxy : {"nginx", "haproxy"}) {
    const std::string text = write(proxy, s).text;
    EXPECT_EQ(text.find("\nserver { listen 0.0.0.0:1"), std::string::npos) << text;
    EXPECT_EQ(text.find("\nbind 0.0.0.0:1"), std::string::npos) << text;
  }
  EXPECT_NE(write("haproxy", s).text.find("server x_y_bind_0.0.0.0_1 "), std::string::npos);
}

TEST(ProxyExport, UsesTheNodesUrlsAndRejectsBadOnes) {
  Scenario s = three_nodes("weighted-round-robin");
  s.nodes[1].url = "http://10.1.2.3:9000";
  EXPECT_NE(write("nginx", s).text.find("server 10.1.2.3:9000 weight=3"), std::string::npos);
  s.nodes[1].url = "http://10.1.2.3";
  EXPECT_THROW(write("nginx", s), ScenarioError);
  // A scenario file says which field is wrong; a good url survives the round trip.
  try {
    parse_scenario(R"({"nodes": [{"name": "a", "url": "ftp://x:1"}]})");
    ADD_FAILURE();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "nodes[0].url");
  }
  const Scenario back = parse_scenario(scenario_to_json(three_nodes("random")));
  EXPECT_EQ(back.nodes[0].url, "");
  Scenario with_url = three_nodes("random");
  with_url.nodes[2].url = "http://[::1]:9";
  EXPECT_EQ(parse_scenario(scenario_to_json(with_url)).nodes[2].url, "http://[::1]:9");
}

// nginx -t and haproxy -c on every balancer each can express, with health and retries on.
TEST(ProxyExport, RealNginxAndHaproxyAcceptEveryExpressibleConfiguration) {
  ASSERT_EQ(std::system("command -v nginx > /dev/null"), 0) << "nginx not found: run packaging/install-deps.sh";
  ASSERT_EQ(std::system("command -v haproxy > /dev/null"), 0) << "haproxy not found: run packaging/install-deps.sh";
  TempDir dir;
  for (const auto& b : balancers().entries()) {
    for (int variant = 0; variant < 2; ++variant) {
      Scenario s = three_nodes(b.name);
      if (variant == 1) {
        s.retry.max_retries = 2;
        s.health.consecutive_failures = 5;
        s.health.max_fails = 0;
        s.nodes[2].weight = 0;
      }
      SCOPED_TRACE(b.name + " variant " + std::to_string(variant));
      if (expresses("nginx", b.name)) {
        const fs::path conf = dir.path / "nginx.conf";
        std::ofstream(conf) << write("nginx", s, /*best_effort=*/variant == 1).text;
        const fs::path log = dir.path / "nginx.log";
        EXPECT_EQ(run("nginx -q -t -p '" + dir.path.string() + "' -c '" + conf.string() + "' -e stderr", log), 0)
            << slurp(log) << slurp(conf);
      }
      if (expresses("haproxy", b.name)) {
        const fs::path conf = dir.path / "haproxy.cfg";
        std::ofstream(conf) << write("haproxy", s).text;
        const fs::path log = dir.path / "haproxy.log";
        EXPECT_EQ(run("haproxy -c -q -f '" + conf.string() + "'", log), 0) << slurp(log) << slurp(conf);
      }
    }
  }
}

TEST(ProxyExport, EnvoyBootstrapHasTheV3Fields) {
  Scenario s = three_nodes("bounded-load");
  s.health.active_interval_ms = 1000;
  s.retry.max_retries = 1;
  const auto j = nlohmann::json::parse(write("envoy", s).text);
  const auto& cluster = j.at("static_resources").at("clusters").at(0);
  EXPECT_EQ(cluster.at("lb_policy"), "RING_HASH");
  EXPECT_EQ(cluster.at("common_lb_config").at("consistent_hashing_lb_config").at("hash_balance_factor"), 125);
  const auto& eps = cluster.at("load_assignment").at("endpoints").at(0).at("lb_endpoints");
  ASSERT_EQ(eps.size(), 3u);
  EXPECT_EQ(eps.at(0).at("load_balancing_weight"), 5);
  EXPECT_EQ(eps.at(2).at("endpoint").at("address").at("socket_address").at("port_value"), 8083);
  EXPECT_EQ(cluster.at("health_checks").at(0).at("http_health_check").at("path"), "/healthz");
  EXPECT_EQ(cluster.at("health_checks").at(0).at("healthy_threshold"), 2);
  EXPECT_EQ(cluster.at("common_lb_config").at("healthy_panic_threshold").at("value"), 50);
  const auto& hcm = j.at("static_resources").at("listeners").at(0).at("filter_chains").at(0).at("filters").at(0);
  EXPECT_EQ(hcm.at("name"), "envoy.filters.network.http_connection_manager");
  const auto& route =
      hcm.at("typed_config").at("route_config").at("virtual_hosts").at(0).at("routes").at(0).at("route");
  EXPECT_EQ(route.at("hash_policy").at(0).at("header").at("header_name"), ":path");
  EXPECT_EQ(route.at("retry_policy").at("num_retries"), 1);
  s.balancer = "maglev";
  const auto m = nlohmann::json::parse(write("envoy", s).text);
  EXPECT_EQ(m["static_resources"]["clusters"][0]["maglev_lb_config"]["table_size"], 65537);
  s.balancer = "p2c";
  s.balancer_params.choices = 3;
  const auto p = nlohmann::json::parse(write("envoy", s).text);
  EXPECT_EQ(p["static_resources"]["clusters"][0]["least_request_lb_config"]["choice_count"], 3);
}

constexpr const char* kNginxUpstream = R"(
# a production upstream, written by hand
http {
  upstream app {
    least_conn;
    server 10.0.0.1:8080 weight=4 max_fails=3 fail_timeout=30s;
    server 10.0.0.2:8080 weight=2 max_fails=3 fail_timeout=30s;
    server 10.0.0.3 max_fails=3 fail_timeout=30s;
    server 10.0.0.9:8080 backup;
    keepalive 16;
    sticky cookie srv_id;
    frobnicate on;
  }
  server {
    listen 80;
    location / { proxy_pass http://app; proxy_next_upstream_tries 2; }
  }
}
)";

TEST(ProxyImport, ReadsAnNginxUpstreamAndListsWhatItLeavesOut) {
  const ProxyImport imp = import_nginx(kNginxUpstream);
  const Scenario& s = imp.scenario;
  EXPECT_EQ(s.balancer, "least-connections");
  ASSERT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.nodes[0].weight, 4);
  EXPECT_EQ(s.nodes[2].weight, 1);
  EXPECT_EQ(s.nodes[2].url, "http://10.0.0.3:80");
  EXPECT_EQ(s.health.max_fails, 3u);
  EXPECT_EQ(s.health.fail_timeout_s, 30);
  EXPECT_EQ(s.retry.max_retries, 1u);
  EXPECT_EQ(s.health.panic_threshold, 0);  // nginx has none
  ASSERT_EQ(imp.unknown.size(), 1u);
  EXPECT_EQ(imp.unknown[0], "line 12: frobnicate: unknown directive");
  std::string listed;
  for (const auto& n : imp.not_modelled) listed += n + "\n";
  EXPECT_NE(listed.find("line 9: server: backup server 10.0.0.9:8080"), std::string::npos) << listed;
  EXPECT_NE(listed.find("line 10: keepalive"), std::string::npos) << listed;
}

TEST(ProxyImport, NginxDefaultsAreNginxs) {
  const ProxyImport imp = import_nginx("upstream u { server a:1; server b:2; server c:3; }");
  EXPECT_EQ(imp.scenario.balancer, "weighted-round-robin");
  EXPECT_EQ(imp.scenario.health.max_fails, 1u);
  EXPECT_EQ(imp.scenario.health.fail_timeout_s, 10);
  // nginx passes a failed request on to every other server unless told otherwise.
  EXPECT_EQ(imp.scenario.retry.max_retries, 2u);
}

TEST(ProxyImport, BrokenNginxConfigurationsSayWhere) {
  auto message = [](const std::string& text, const std::string& upstream = {}) -> std::string {
    try {
      import_nginx(text, upstream);
    } catch (const ProxyImportError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(message("http { server { listen 80; } }").find("no upstream"), std::string::npos);
  EXPECT_NE(message("upstream a { server x:1; }\nupstream b { server y:1; }").find("a, b"), std::string::npos);
  EXPECT_NE(message("upstream a { server x:1; }", "zz").find("no upstream 'zz'"), std::string::npos);
  EXPECT_NE(message("upstream a {\n server x:1;\n").find("not closed"), std::string::npos);
  EXPECT_NE(message("upstream a { server x:1 }").find("missing its ';'"), std::string::npos);
  EXPECT_NE(message("upstream a {\n server x:1 weight=-2;\n}").find("line 2: weight '-2'"), std::string::npos);
  EXPECT_NE(message("upstream a { server x:99999; }").find("port"), std::string::npos);
  EXPECT_NE(message("upstream a { keepalive 2; }").find("no server"), std::string::npos);
  EXPECT_NE(message("upstream a { server \"x:1; }").find("unclosed"), std::string::npos);
  // Found by the fuzzer: one word after `random` that is not `two` (it read past the words).
  const ProxyImport odd = import_nginx("upstream a { random timeout=30s; server x:1; }");
  EXPECT_EQ(odd.scenario.balancer, "p2c");
  ASSERT_EQ(odd.not_modelled.size(), 1u);
  EXPECT_NE(odd.not_modelled[0].find("'random timeout=30s' is not modelled"), std::string::npos) << odd.not_modelled[0];
  // Deep nesting is an error with the limit, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 100'000; ++i) deep += "a {";
  EXPECT_NE(message(deep).find("nested deeper than 64"), std::string::npos);
}

constexpr const char* kHaproxyBackend = R"(
global
  maxconn 1000
defaults
  mode http
  retries 2
  option redispatch
  timeout connect 5s
backend web
  balance random(3)
  option httpchk GET /health
  default-server inter 500 rise 3 fall 2
  server s1 10.0.0.1:80 weight 10 check
  server s2 10.0.0.2:80 weight 20 check
  server s3 10.0.0.3:80 check disabled
  server s4 10.0.0.4:80 backup
  sparkle yes
frontend fe
  bind :80
  default_backend web
)";

TEST(ProxyImport, ReadsAnHaproxyBackendWithItsDefaults) {
  const ProxyImport imp = import_haproxy(kHaproxyBackend);
  const Scenario& s = imp.scenario;
  EXPECT_EQ(s.balancer, "p2c");
  EXPECT_EQ(s.balancer_params.choices, 3u);
  ASSERT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.nodes[0].name, "s1");
  EXPECT_EQ(s.nodes[1].weight, 20);
  EXPECT_EQ(s.nodes[2].weight, 0);  // disabled
  EXPECT_EQ(s.health.active_interval_ms, 500);
  EXPECT_EQ(s.health.rise, 3u);
  EXPECT_EQ(s.health.fall, 2u);
  EXPECT_EQ(s.health.max_fails, 0u);
  EXPECT_EQ(s.retry.max_retries, 2u);
  ASSERT_EQ(imp.unknown.size(), 1u);
  EXPECT_EQ(imp.unknown[0], "line 17: unknown directive 'sparkle'");
}

TEST(ProxyImport, BrokenHaproxyConfigurationsSayWhere) {
  auto message = [](const std::string& text) -> std::string {
    try {
      import_haproxy(text);
    } catch (const ProxyImportError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(message("frontend f\n bind :80\n").find("no backend"), std::string::npos);
  EXPECT_NE(message("backend b\n server s1\n").find("line 2: server needs"), std::string::npos);
  EXPECT_NE(message("backend b\n server s1 h:1 weight 300\n").find("line 2: weight '300'"), std::string::npos);
  EXPECT_NE(message("backend b\n balance random(x)\n server s1 h:1\n").find("random draws"), std::string::npos);
  EXPECT_NE(message("backend b\n server s1 h:1 inter\n").find("'inter' needs a value"), std::string::npos);
  EXPECT_NE(message("server s1 h:1\n").find("before any section"), std::string::npos);
}

// Import → export → import gives the same scenario: what was read is what is written.
TEST(ProxyImport, RoundTripsThroughExport) {
  for (const std::string& conf : {std::string(kNginxUpstream),
                                  std::string("upstream u { hash $uri consistent; "
                                              "server a:1 weight=2; server b:2; }"),
                                  std::string("upstream u { random two least_conn; server a:1; server b:2 down; }")}) {
    const Scenario first = import_nginx(conf).scenario;
    const Scenario second = import_nginx(write("nginx", first).text).scenario;
    EXPECT_EQ(scenario_to_json(second).substr(scenario_to_json(second).find("\"balancer\"")),
              scenario_to_json(first).substr(scenario_to_json(first).find("\"balancer\"")));
  }
  for (const std::string& conf :
       {std::string(kHaproxyBackend),
        std::string("backend b\n balance uri\n hash-type consistent\n hash-balance-factor 150\n"
                    " server x 1.2.3.4:80 weight 3 check inter 2s observe layer7 error-limit 4 on-error mark-down\n"
                    " server y 1.2.3.5:80 check inter 2s observe layer7 error-limit 4\n")}) {
    const Scenario first = import_haproxy(conf).scenario;
    const Scenario second = import_haproxy(write("haproxy", first).text).scenario;
    EXPECT_EQ(scenario_to_json(second).substr(scenario_to_json(second).find("\"balancer\"")),
              scenario_to_json(first).substr(scenario_to_json(first).find("\"balancer\"")));
  }
}

TEST(ProxyImport, ExportedBalancersComeBackAsThemselves) {
  for (const char* b :
       {"weighted-round-robin", "least-connections", "p2c", "ring-hash", "key-hash", "weighted-random"}) {
    EXPECT_EQ(import_nginx(write("nginx", three_nodes(b)).text).scenario.balancer, b);
    EXPECT_EQ(import_haproxy(write("haproxy", three_nodes(b)).text).scenario.balancer, b);
  }
  Scenario bounded = three_nodes("bounded-load");
  bounded.balancer_params.balance_factor = 1.5;
  const Scenario back = import_haproxy(write("haproxy", bounded).text).scenario;
  EXPECT_EQ(back.balancer, "bounded-load");
  EXPECT_DOUBLE_EQ(back.balancer_params.balance_factor, 1.5);
  EXPECT_EQ(detect_proxy_kind(write("nginx", bounded, true).text), ProxyKind::nginx);
  EXPECT_EQ(detect_proxy_kind(write("haproxy", bounded).text), ProxyKind::haproxy);
  EXPECT_FALSE(detect_proxy_kind("{\"nodes\": []}"));
}

}  // namespace
}  // namespace loadlab
