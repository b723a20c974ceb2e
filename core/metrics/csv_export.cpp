#include "metrics/csv_export.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace loadlab {

const char* const kSummaryColumns =
    "node,weight,expected_share,requests,share,hits,misses,hit_ratio,mean_us,p50_us,p95_us,p99_us,max_us,failed,"
    "imbalance_max_mean,imbalance_cv,jain,failed_node_down,availability,retries,partitions,key_share,"
    "failed_no_node,failed_no_quorum,failed_cancelled,panic_s,issued_in_panic,failed_queue_full,failed_queue_timeout,"
    "goodput,goodput_rps,goodput_fraction,failed_codel_drop,failed_overflow,failed_concurrency_limited,"
    // issue 20 (precision): at the end, as this file's contract wants
    "warmup_s,replications,converged,not_converged,hit_ratio_ci95,mean_us_ci95,p50_us_ci95,p95_us_ci95,p99_us_ci95";
const char* const kTimeseriesColumns =
    "t_ms,node,weight,requests,rps,in_flight,hits,misses,hit_ratio,p50_us,p95_us,p99_us,"
    "queue_length,completed_total,failed_total,expected_share,imbalance_max_mean,imbalance_cv,jain,"
    "failed_node_down_total,up,available,retries_total,mean_us,health,panic,failed_queue_full_total,"
    "failed_queue_timeout_total,goodput_rps,failed_codel_drop_total,failed_overflow_total,"
    "failed_concurrency_limited_total,concurrency_limit";

namespace {

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{:.{}f}", v, decimals);
}

std::string ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? "" : num(static_cast<double>(part) / static_cast<double>(whole), 6);
}

// The imbalance columns describe the whole cluster: filled on the total row, empty on nodes.
void summary_row(std::ostream& out, const NodeSummary& s, const Imbalance* imbalance, double availability,
                 const std::string& retries, const RunReport* cluster, bool goodput, double warmup_s,
                 const SummaryIntervals* intervals) {
  out << fmt::format(
      "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},",
      field(s.name), num(s.weight, 6), num(s.expected_share, 6), s.requests, num(s.share, 6), s.hits, s.misses,
      num(s.hit_ratio, 6), num(s.mean_us, 1), num(s.p50_us, 1), num(s.p95_us, 1), num(s.p99_us, 1), num(s.max_us, 1),
      s.failed, imbalance ? num(imbalance->max_mean, 6) : "", imbalance ? num(imbalance->cv, 6) : "",
      imbalance ? num(imbalance->jain, 6) : "", s.failed_down, num(availability, 6), retries,
      s.partitions ? std::to_string(s.partitions) : std::string(), num(s.key_share, 6), s.failed_no_node,
      s.failed_no_quorum, s.failed_cancelled, cluster ? num(cluster->panic_s, 6) : "",
      cluster ? std::to_string(cluster->issued_in_panic) : "", s.failed_queue_full, s.failed_queue_timeout,
      goodput ? std::to_string(s.goodput) : "", num(s.goodput_rps, 1), num(s.goodput_fraction, 6), s.failed_codel_drop,
      s.failed_overflow, cluster ? std::to_string(s.failed_concurrency_limited) : "");
  out << num(warmup_s, 6);
  if (intervals) {
    std::string names;
    for (const std::string& n : intervals->not_converged) names += (names.empty() ? "" : ";") + n;
    out << fmt::format(",{},{},{},{},{},{},{},{}\n", intervals->replications, names.empty() ? 1 : 0, names,
                       num(intervals->hit_ratio_ci95, 6), num(intervals->mean_us_ci95, 1),
                       num(intervals->p50_us_ci95, 1), num(intervals->p95_us_ci95, 1), num(intervals->p99_us_ci95, 1));
  } else {
    out << ",,,,,,,,\n";
  }
}

}  // namespace

void write_summary_csv(std::ostream& out, const RunReport& report, const SummaryIntervals* intervals) {
  out << kSummaryColumns << '\n';
  constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  const bool goodput = !std::isinf(report.deadline_ms);
  for (const NodeSummary& s : report.nodes)
    summary_row(out, s, nullptr, kNone, "", nullptr, goodput, report.warmup_s, nullptr);
  // Availability: the share of issued requests that were served.
  const double availability =
      report.issued > 0 ? static_cast<double>(report.completed) / static_cast<double>(report.issued) : kNone;
  summary_row(out, report.total, &report.imbalance, availability, std::to_string(report.retries), &report, goodput,
              report.warmup_s, intervals);
}

void write_timeseries_csv(std::ostream& out, const std::vector<Snapshot>& snapshots,
                          const std::vector<std::string>& node_names) {
  out << kTimeseriesColumns << '\n';
  for (const Snapshot& s : snapshots) {
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
      const NodeSample& n = s.nodes[i];
      out << fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
          s.t_ms, field(i < node_names.size() ? node_names[i] : std::to_string(i)), num(n.weight, 6),
          n.interval_completed, num(n.rps, 1), n.in_flight, n.interval_hits, n.interval_misses,
          ratio(n.interval_hits, n.interval_hits + n.interval_misses), num(n.p50_us, 1), num(n.p95_us, 1),
          num(n.p99_us, 1), n.queue_length, n.completed, n.failed, num(n.expected_share, 6),
          num(s.imbalance.max_mean, 6), num(s.imbalance.cv, 6), num(s.imbalance.jain, 6), n.failed_down, n.up ? 1 : 0,
          n.available ? 1 : 0, s.retries, num(n.mean_us, 1), to_string(n.health), s.panic ? 1 : 0, n.failed_queue_full,
          n.failed_queue_timeout, num(n.goodput_rps, 1), n.failed_codel_drop, n.failed_overflow,
          s.failed.concurrency_limited, s.concurrency_limit ? std::to_string(s.concurrency_limit) : "");
    }
  }
}

void write_run_csv(const std::filesystem::path& dir, const RunReport& report, const std::vector<Snapshot>& snapshots,
                   const std::vector<std::string>& node_names, const SummaryIntervals* intervals) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(fmt::format("cannot create directory '{}': {}", dir.string(), error.message()));
  auto write = [](const std::filesystem::path& path, auto&& body) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", path.string()));
    body(out);
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("error while writing '{}'", path.string()));
  };
  write(dir / "summary.csv", [&](std::ostream& out) { write_summary_csv(out, report, intervals); });
  write(dir / "timeseries.csv", [&](std::ostream& out) { write_timeseries_csv(out, snapshots, node_names); });
}

}  // namespace loadlab
