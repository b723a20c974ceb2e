#include "proxy/envoy_config_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "proxy/backend_addresses.h"
#include "proxy/config_duration.h"
#include "proxy/export_scope.h"

namespace loadlab {
namespace {

using Json = nlohmann::ordered_json;

Json socket_address(const HostPort& hp) {
  return {{"socket_address", {{"address", hp.host}, {"port_value", hp.port}}}};
}

// Sets the cluster's lb_policy and its policy's config; returns whether the endpoints carry
// their weights.
bool set_policy(const Scenario& s, Json& cluster, ExportNotes& notes) {
  const std::string& b = s.balancer;
  const auto& p = s.balancer_params;
  if (b == "round-robin") {
    cluster["lb_policy"] = "ROUND_ROBIN";
    return false;
  }
  if (b == "weighted-round-robin") {
    cluster["lb_policy"] = "ROUND_ROBIN";
    notes.note(
        "Envoy's weighted round robin schedules by earliest deadline: the same shares as nginx's smooth "
        "round robin, the order within a cycle may differ");
    return true;
  }
  if (b == "random") {
    cluster["lb_policy"] = "RANDOM";
    return false;
  }
  if (b == "weighted-random") {
    cluster["lb_policy"] = "RANDOM";
    if (!equal_positive_weights(s))
      notes.unsupported("balancer 'weighted-random'", "Envoy's RANDOM ignores weights",
                        "RANDOM (uniform over the nodes)");
    return false;
  }
  if (b == "p2c") {
    cluster["lb_policy"] = "LEAST_REQUEST";
    cluster["least_request_lb_config"]["choice_count"] = p.choices;
    if (!equal_positive_weights(s))
      notes.note(
          "with unequal weights Envoy's LEAST_REQUEST schedules by weight / (active requests + 1) instead of "
          "sampling choice_count hosts");
    return true;
  }
  if (b == "least-connections") {
    cluster["lb_policy"] = "LEAST_REQUEST";
    cluster["least_request_lb_config"]["choice_count"] = std::max<std::size_t>(2, s.nodes.size());
    notes.unsupported("balancer 'least-connections'",
                      "Envoy's LEAST_REQUEST samples choice_count hosts at random instead of scanning all",
                      fmt::format("LEAST_REQUEST with choice_count {} (one sample per node)", s.nodes.size()));
    return true;
  }
  if (b == "ring-hash" || b == "bounded-load" || b == "key-hash") {
    if (b == "key-hash") notes.unsupported("balancer 'key-hash'", "Envoy has no hash-modulo-n balancing", "RING_HASH");
    cluster["lb_policy"] = "RING_HASH";
    // LoadLab's vnodes are ring points per unit of weight; Envoy sizes the ring as a whole.
    const std::uint64_t points = std::clamp<std::uint64_t>(std::uint64_t{p.vnodes} * s.nodes.size(), 1024, 8'388'608);
    cluster["ring_hash_lb_config"] = {{"minimum_ring_size", points}, {"maximum_ring_size", 8'388'608}};
    if (b == "bounded-load") {
      const long percent = std::lround(p.balance_factor * 100);
      cluster["common_lb_config"]["consistent_hashing_lb_config"]["hash_balance_factor"] = percent;
    }
    return true;
  }
  if (b == "maglev") {
    cluster["lb_policy"] = "MAGLEV";
    cluster["maglev_lb_config"]["table_size"] = p.table_size;
    return true;
  }
  if (b == "peak-ewma") {
    cluster["lb_policy"] = "LEAST_REQUEST";
    notes.unsupported("balancer 'peak-ewma'", "Envoy has no latency-aware balancer in its core",
                      "LEAST_REQUEST (power of two choices)");
    return true;
  }
  cluster["lb_policy"] = "ROUND_ROBIN";
  notes.unsupported(fmt::format("balancer '{}'", b), "Envoy has no equivalent", "ROUND_ROBIN");
  return true;
}

}  // namespace

ProxyConfig EnvoyConfigWriter::write(const Scenario& s) const {
  ExportNotes notes("Envoy", options_.best_effort);
  check_export_scope(s, notes);
  const auto addresses = backend_addresses(s, options_);
  const HostPort listen = proxy_listen_address(options_);

  Json cluster{{"name", "loadlab"}, {"type", "STATIC"}, {"connect_timeout", "1s"}};
  const bool weighted = set_policy(s, cluster, notes);
  // Envoy's weights are at least 1 and their sum must fit in 32 bits.
  const auto weights = weighted ? export_weights(s, notes, 1'000'000) : std::vector<std::uint64_t>{};

  Json endpoints = Json::array();
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    if (s.nodes[i].weight <= 0) {
      notes.note(
          fmt::format("node {} has weight 0 and is left out (Envoy's weights start at 1)", one_line(s.nodes[i].name)));
      continue;
    }
    Json e{{"endpoint", {{"address", socket_address(addresses[i])}}}};
    if (weighted) e["load_balancing_weight"] = weights[i];
    endpoints.push_back(std::move(e));
  }
  cluster["load_assignment"] = {{"cluster_name", "loadlab"},
                                {"endpoints", Json::array({{{"lb_endpoints", endpoints}}})}};

  const HealthCheckConfig& h = s.health;
  if (h.active_interval_ms > 0) {
    const double interval = h.active_interval_ms / 1000;
    cluster["health_checks"] = Json::array({{{"timeout", format_protobuf_duration(std::min(interval, 1.0))},
                                             {"interval", format_protobuf_duration(interval)},
                                             {"unhealthy_threshold", h.fall},
                                             {"healthy_threshold", h.rise},
                                             {"http_health_check", {{"path", kHealthPath}}}}});
  }
  // Envoy has one passive mechanism, outlier detection: ejections after consecutive errors,
  // each lasting base_ejection_time × the times ejected — LoadLab's outlier ejection exactly.
  // nginx-style passive checks map onto it with a note.
  const unsigned consecutive = h.consecutive_failures > 0 ? h.consecutive_failures : h.max_fails;
  if (consecutive > 0) {
    const double base = h.consecutive_failures > 0 ? h.base_ejection_s : h.fail_timeout_s;
    cluster["outlier_detection"] = {{"consecutive_5xx", consecutive},
                                    {"interval", "1s"},
                                    {"base_ejection_time", format_protobuf_duration(base)},
                                    {"max_ejection_percent", 100}};
    if (h.consecutive_failures == 0)
      notes.note(
          fmt::format("Envoy ejects after consecutive errors (consecutive_5xx {}; nginx's max_fails counts "
                      "them within fail_timeout), and each ejection lasts longer than the one before",
                      consecutive));
    else if (h.max_fails > 0)
      notes.note(
          fmt::format("Envoy has one passive mechanism: outlier ejection after {} failures is used, "
                      "passive checks' max_fails {} is not",
                      h.consecutive_failures, h.max_fails));
  }
  // Envoy's panic threshold is the model's (health.panic_threshold, both default 50%).
  cluster["common_lb_config"]["healthy_panic_threshold"] = {{"value", h.panic_threshold}};
  if (h.slow_start_s > 0) {
    const std::string policy = cluster["lb_policy"];
    const char* key = policy == "ROUND_ROBIN"     ? "round_robin_lb_config"
                      : policy == "LEAST_REQUEST" ? "least_request_lb_config"
                                                  : nullptr;
    if (key) {
      cluster[key]["slow_start_config"] = {{"slow_start_window", format_protobuf_duration(h.slow_start_s)}};
    } else {
      notes.unsupported("health.slow_start_s",
                        fmt::format("Envoy's slow start works with ROUND_ROBIN and LEAST_REQUEST, not {}", policy),
                        "full weight at once");
    }
  }

  Json route{{"cluster", "loadlab"}};
  if (cluster["lb_policy"] == "RING_HASH" || cluster["lb_policy"] == "MAGLEV")
    route["hash_policy"] = Json::array({{{"header", {{"header_name", ":path"}}}}});
  if (s.retry.max_retries > 0) {
    route["retry_policy"] = {
        {"retry_on", "connect-failure,reset,5xx"},
        {"num_retries", s.retry.max_retries},
        {"retry_host_predicate",
         Json::array({{{"name", "envoy.retry_host_predicates.previous_hosts"},
                       {"typed_config",
                        {{"@type",
                          "type.googleapis.com/"
                          "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}}}}})},
        {"host_selection_retry_max_attempts", 5}};
    cluster["circuit_breakers"]["thresholds"] = Json::array(
        {{{"retry_budget",
           {{"budget_percent", {{"value", s.retry.budget * 100}}}, {"min_retry_concurrency", s.retry.min_retries}}}}});
    notes.note(
        "Envoy's retry budget bounds retries in flight against requests in flight; LoadLab's bounds retries "
        "against requests issued");
  }

  Json hcm{{"@type",
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3."
            "HttpConnectionManager"},
           {"stat_prefix", "loadlab"},
           {"route_config",
            {{"name", "loadlab"},
             {"virtual_hosts",
              Json::array({{{"name", "loadlab"},
                            {"domains", Json::array({"*"})},
                            {"routes", Json::array({{{"match", {{"prefix", "/"}}}, {"route", route}}})}}})}}},
           {"http_filters",
            Json::array({{{"name", "envoy.filters.http.router"},
                          {"typed_config",
                           {{"@type", "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}}}})}};
  Json listener{{"name", "loadlab"},
                {"address", socket_address(listen)},
                {"filter_chains",
                 Json::array({{{"filters", Json::array({{{"name", "envoy.filters.network.http_connection_manager"},
                                                         {"typed_config", hcm}}})}}})}};
  Json bootstrap{{"static_resources", {{"listeners", Json::array({listener})}, {"clusters", Json::array({cluster})}}}};
  // JSON has no comments, and Envoy rejects unknown fields: the notes go to the caller only.
  return {bootstrap.dump(2) + "\n", notes.notes()};
}

}  // namespace loadlab
