#include "report_table.h"

#include <fmt/format.h>

#include <algorithm>

#include <cmath>

namespace loadlab::cli {
namespace {

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100.0 * v) : "-"; }
std::string us(double v) {
  if (!std::isfinite(v)) return "-";
  return v >= 10'000 ? fmt::format("{:.1f}ms", v / 1000.0) : fmt::format("{:.0f}us", v);
}
std::string weight(double w) { return w == std::floor(w) ? fmt::format("{:.0f}", w) : fmt::format("{:.3g}", w); }

void row(std::FILE* out, const NodeSummary& s) {
  fmt::print(out, "{:<8} {:>7} {:>9} {:>9} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9}\n", s.name, weight(s.weight),
             pct(s.expected_share), pct(s.share), s.requests, pct(s.hit_ratio), us(s.mean_us), us(s.p50_us),
             us(s.p95_us), us(s.p99_us));
}

}  // namespace

void print_report(std::FILE* out, const RunReport& r) {
  fmt::print(out, "scenario '{}'  balancer {}  cache {}  seed {}\n", r.scenario, r.balancer, r.cache_policy, r.seed);
  if (!r.placement.empty()) fmt::print(out, "data: {}\n", r.placement);
  fmt::print(out, "\n");
  fmt::print(out, "{:<8} {:>7} {:>9} {:>9} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9}\n", "node", "weight", "expected",
             "share", "requests", "hit", "mean", "p50", "p95", "p99");
  for (const NodeSummary& s : r.nodes) row(out, s);
  fmt::print(out, "{}\n", std::string(98, '-'));
  row(out, r.total);
  fmt::print(out,
             "\nissued {}  completed {}  failed {} (node down {}, no node {}, no quorum {}, queue full {}, queue "
             "timeout {}, codel drop {}, overflow {}, concurrency limited {}, cancelled {})  in flight {}\n",
             r.issued, r.completed, r.failed.total(), r.failed.node_down, r.failed.no_node, r.failed.no_quorum,
             r.failed.queue_full, r.failed.queue_timeout, r.failed.codel_drop, r.failed.overflow,
             r.failed.concurrency_limited, r.failed.cancelled, r.in_flight);
  if (r.retries > 0) fmt::print(out, "retries {} (each counted once above, under its original request)\n", r.retries);
  if (r.panic_s > 0 || r.issued_in_panic > 0)
    fmt::print(out, "panic {:.3f}s: {} requests issued with too few nodes available, picked among all of them\n",
               r.panic_s, r.issued_in_panic);
  if (r.failed.node_down + r.failed.no_node > 0 && r.issued > 0)
    fmt::print(out, "availability {:.4f}% of requests served\n",
               100.0 * static_cast<double>(r.completed) / static_cast<double>(r.issued));
  if (r.target_rate > 0)
    fmt::print(out, "elapsed {:.2f}s  throughput {:.0f} req/s (target {:.0f})\n", r.elapsed_s, r.achieved_rps,
               r.target_rate);
  else
    fmt::print(out, "elapsed {:.2f}s  throughput {:.0f} req/s\n", r.elapsed_s, r.achieved_rps);
  if (!std::isinf(r.deadline_ms)) {
    // Goodput beside throughput: what answered within the deadline, total then per node.
    std::string nodes;
    for (const NodeSummary& s : r.nodes)
      nodes += fmt::format("{}{} {:.0f} req/s ({})", nodes.empty() ? "" : ", ", s.name, s.goodput_rps,
                           pct(s.goodput_fraction));
    fmt::print(out, "goodput within {:g} ms: {} requests, {:.0f} req/s, {} of those issued; per node: {}\n",
               r.deadline_ms, r.total.goodput, r.total.goodput_rps, pct(r.total.goodput_fraction), nodes);
  }
  if (r.warmup_s > 0)
    fmt::print(out, "warm-up: the first {:.2f}s are left out of every figure above (elapsed is the time after)\n",
               r.warmup_s);
  if (std::isfinite(r.imbalance.max_mean))
    fmt::print(out, "imbalance{}: max/mean {:.3f}  CV {:.3f}  Jain {:.4f}\n",
               r.honours_weights ? " per unit of weight" : "", r.imbalance.max_mean, r.imbalance.cv, r.imbalance.jain);
  if (r.stopped_early) fmt::print(out, "stopped early: the figures cover what ran\n");
}

void print_theory(std::FILE* out, const Predictions& p, const RunReport& r) {
  const LatencyPrediction& l = p.latency;
  if (std::isfinite(l.mean_us))
    fmt::print(
        out,
        "theory: mean latency {} (M/G/1 per node: Poisson arrivals at its measured rate and hit ratio; measured {})\n",
        us(l.mean_us), us(r.total.mean_us));
  else if (!l.why_not.empty())
    fmt::print(out, "theory: no latency prediction ({})\n", l.why_not);
  // Round robin hands each node every n-th arrival: smoother than Poisson, so it waits less
  // than the model says; random and hashing picks keep each node's arrivals Poisson.
  if (std::isfinite(l.mean_us) && r.nodes.size() > 1 &&
      (r.balancer == "round-robin" || r.balancer == "weighted-round-robin"))
    fmt::print(out, "        (round robin spaces each node's arrivals out: expect less waiting than M/G/1)\n");
  if (std::isfinite(p.lru_hit_ratio) && std::isfinite(r.total.hit_ratio))
    fmt::print(out, "theory: LRU hit ratio {} (Che's approximation; measured {} with {})\n", pct(p.lru_hit_ratio),
               pct(r.total.hit_ratio), r.cache_policy);
}

void print_key_movement(std::FILE* out, const KeyMovement& m, const std::vector<std::string>& names) {
  const std::string node = m.removed_node < names.size() ? names[m.removed_node] : std::to_string(m.removed_node);
  fmt::print(out,
             "keys moved when node {} leaves: {} (ideal {}), when it joins: {} (ideal {}); key space max/mean {:.3f}\n",
             node, pct(m.moved_on_remove), pct(m.ideal_on_remove), pct(m.moved_on_add), pct(m.ideal_on_add),
             m.ownership_max_mean);
}

namespace {
std::size_t busiest_node(const OfferedLoad& load) {
  return static_cast<std::size_t>(std::max_element(load.node_rho.begin(), load.node_rho.end()) - load.node_rho.begin());
}
}  // namespace

void print_overload_warning(std::FILE* out, const OfferedLoad& load, const std::vector<std::string>& node_names,
                            bool bounded) {
  if (!load.overloaded()) return;
  const std::size_t b = busiest_node(load);
  fmt::print(out,
             "loadlab-cli: warning: overloaded: the offered load ({:.0f} req/s) is {:.2f}x what the cluster can "
             "serve (about {:.0f} req/s{}); node {} at utilisation {:.2f}. {}\n",
             load.offered_rps, load.rho, load.capacity_rps,
             load.shares_fixed ? " at this balancer's split" : ", every node busy",
             b < node_names.size() ? node_names[b] : "?", load.node_rho[b],
             bounded ? "The nodes' queue bounds shed the excess (failed: queue full, queue timeout)."
                     : "Queues and latency grow for as long as requests are issued, and the run ends only when the "
                       "backlog has drained (--queue-limit, --queue-timeout-ms bound them).");
}

void print_end_reason(std::FILE* out, const Workload& w, const RunReport& r, bool interrupted) {
  if (interrupted)
    fmt::print(out, "ended by: interrupt (Ctrl-C) after {} requests\n", r.issued);
  else if (w.requests > 0 && r.issued >= w.requests)
    fmt::print(out, "ended by: request count {}{}\n", w.requests,
               w.duration_s > 0 ? fmt::format(" (before the duration {:g} s)", w.duration_s) : "");
  else if (w.duration_s > 0)
    fmt::print(out, "ended by: duration {:g} s{}\n", w.duration_s,
               w.requests > 0 ? fmt::format(" (before the request count {})", w.requests) : "");
}

void print_offered_load(std::FILE* out, const OfferedLoad& load) {
  if (!load.applicable) return;
  fmt::print(out, "offered load: rho = {:.2f} ({:.0f} req/s of a capacity of about {:.0f} req/s{}){}\n", load.rho,
             load.offered_rps, load.capacity_rps, load.shares_fixed ? " at this balancer's split" : "",
             load.overloaded() ? " - OVERLOADED" : "");
}

}  // namespace loadlab::cli
