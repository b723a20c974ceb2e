#include "theory/predictions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "theory/cache_theory.h"
#include "theory/offered_load.h"
#include "theory/share_prediction.h"
#include "workload/service_time.h"

namespace loadlab {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What turns the excess away past saturation, as the scenario sets it: empty when nothing
// does and every queue grows for as long as requests arrive.
std::string shedders(const Scenario& s) {
  std::vector<std::string> parts;
  auto add = [&parts](std::string part) {
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
  };
  if (s.adaptive_concurrency.enabled) add("adaptive concurrency limit");
  if (s.circuit_breakers.max_requests != CircuitBreakerLimits::kOff ||
      s.circuit_breakers.max_pending != CircuitBreakerLimits::kOff)
    add("circuit breakers");
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const QueuePolicy q = s.queue_of(i);
    if (q.limited()) add("queue limit");
    if (q.times_out()) add("queue timeout");
    // RFC 8289 CoDel is left out: against open-loop arrivals its drop rate ramps up too slowly
    // to keep the queue bounded (README, "Queue disciplines").
    if (q.discipline == "fb-codel") add("fb-codel drops");
  }
  std::string text;
  for (const std::string& p : parts) text += (text.empty() ? "" : ", ") + p;
  return text;
}
}  // namespace

double erlang_c(unsigned c, double a) {
  if (c == 0 || a >= c) return kNaN;
  // Σ_{k<c} a^k/k! and a^c/c! · c/(c − a), summed with a running term (no factorial overflow).
  double term = 1, sum = 0;
  for (unsigned k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c * (c / (c - a));
  return last / (sum + last);
}

double queue_mean_response_us(double rate, unsigned servers, double s1, double s2) {
  const double lambda = rate / 1e6;  // per microsecond
  const double a = lambda * s1;      // offered load in servers
  if (servers == 0 || a >= servers) return kNaN;
  if (lambda == 0 || s1 == 0) return s1;
  if (!std::isfinite(s2)) return std::numeric_limits<double>::infinity();  // infinite-variance tail
  const double cs2 = s2 / (s1 * s1) - 1;  // squared coefficient of variation of service
  const double wait_mm = erlang_c(servers, a) / (servers / s1 - lambda);
  return wait_mm * (1 + cs2) / 2 + s1;  // Allen–Cunneen; exactly P-K for one server
}

LatencyPrediction predict_latency(const Scenario& s, std::span<const NodeTraffic> traffic, double time_scale) {
  LatencyPrediction p;
  p.mean_us = kNaN;
  const std::size_t n = s.nodes.size();
  p.node_mean_us.assign(n, kNaN);
  p.node_utilisation.assign(n, kNaN);
  if (s.workload.mode != Workload::Mode::open)
    p.why_not = "closed loop: arrivals wait for answers";
  else if (s.workload.write_fraction > 0)
    p.why_not = "writes wait for a quorum of replicas";
  else if (s.workload.arrival != Workload::Arrival::poisson)
    p.why_not = "arrivals are not Poisson";
  else if (!s.workload.rate_schedule.empty())
    p.why_not = "the rate changes over time";
  if (!p.why_not.empty() || traffic.size() != n) return p;
  p.applicable = true;
  const ServiceTime service(s.service);
  double weighted = 0, total_rate = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const NodeTraffic& t = traffic[i];
    if (!(t.rate > 0)) continue;
    const double h = std::isfinite(t.hit_ratio) ? t.hit_ratio : 0.0;
    const double scale = time_scale / s.nodes[i].speed;
    const double s1 = scale * (h * service.mean_us(true) + (1 - h) * service.mean_us(false));
    const double s2 =
        scale * scale * (h * service.second_moment_us2(true) + (1 - h) * service.second_moment_us2(false));
    p.node_utilisation[i] = t.rate / 1e6 * s1 / s.nodes[i].slots;
    const double w = queue_mean_response_us(t.rate, s.nodes[i].slots, s1, s2);
    if (std::isnan(w)) {
      p.saturated = true;
      continue;
    }
    p.node_mean_us[i] = w;
    weighted += t.rate * w;
    total_rate += t.rate;
  }
  if (p.saturated)
    p.why_not = "a node is past saturation (utilisation >= 1): no steady state";
  else if (total_rate > 0)
    p.mean_us = weighted / total_rate;
  return p;
}

Predictions predict(const Scenario& s, const RunReport& r) {
  Predictions p;
  std::vector<double> weights;
  std::vector<std::size_t> capacities;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    weights.push_back(i < r.nodes.size() ? r.nodes[i].weight : s.nodes[i].weight);
    capacities.push_back(s.cache_capacity_of(i));
  }
  const std::optional<Placement> placement =
      s.partitioning.kind == Partitioning::Kind::none
          ? std::nullopt
          : std::optional<Placement>(std::in_place, s.partitioning, s.nodes.size(), s.workload.keys.keys);
  p.shares = SharePrediction(s, placement ? &*placement : nullptr).shares(weights);
  p.lru_hit_ratio = kNaN;
  if (s.cache_policy != "none") p.lru_hit_ratios = node_lru_hit_ratios(s, weights, capacities);
  std::vector<NodeTraffic> traffic(s.nodes.size());
  double hits = 0, rate = 0;
  for (std::size_t i = 0; i < s.nodes.size() && i < r.nodes.size(); ++i) {
    traffic[i].rate = r.elapsed_s > 0 ? static_cast<double>(r.nodes[i].requests) / r.elapsed_s : 0.0;
    traffic[i].hit_ratio = r.nodes[i].hit_ratio;
    if (i < p.lru_hit_ratios.size()) hits += traffic[i].rate * p.lru_hit_ratios[i], rate += traffic[i].rate;
  }
  if (rate > 0) p.lru_hit_ratio = hits / rate;
  p.latency = predict_latency(s, traffic);
  // Past saturation the measured rates are the nodes' capacities, not what was offered, and
  // the formulas fed with them would predict a finite latency for a backlog that grows
  // without end.
  if (const OfferedLoad load = predict_offered_load(s); load.overloaded() && p.latency.applicable) {
    p.latency.saturated = true;
    p.latency.mean_us = kNaN;
    const std::string shed = shedders(s);
    p.latency.why_not =
        shed.empty()
            ? fmt::format(
                  "the offered load is {:.2f}x the capacity (rho > 1): queues grow without end, no steady state",
                  load.rho)
            : fmt::format(
                  "the offered load is {:.2f}x the capacity (rho > 1): the excess is shed ({}), so queues stay "
                  "bounded, but the formulas assume nothing is turned away",
                  load.rho, shed);
  }
  return p;
}

}  // namespace loadlab
