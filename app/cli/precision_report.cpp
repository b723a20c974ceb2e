#include "precision_report.h"

#include <fmt/format.h>

#include <cmath>

namespace loadlab::cli {

void print_precision(std::FILE* out, const PrecisionOutcome& o, const PrecisionTarget& t) {
  fmt::print(out, "precision: {} replications (independent seeds), {} requests; stopped by {} (asked ±{:g}%)\n",
             o.runs.size(), o.requests, o.stopped_by, 100 * t.precision);
  for (const MetricPrecision& m : o.metrics) {
    const std::string_view name = kRunMetrics[m.metric].name;
    if (!m.applicable) {
      fmt::print(out, "  {:<18} n/a (no value in this scenario)\n", name);
      continue;
    }
    const double relative = m.summary.mean != 0 ? 100 * m.summary.ci95 / std::abs(m.summary.mean) : 0.0;
    fmt::print(out, "  {:<18} {:>14.6g} ± {:<12.4g} (±{:.2f}%)  {}\n", name, m.summary.mean, m.summary.ci95, relative,
               m.converged ? "converged" : "NOT converged");
  }
}

std::string describe_not_converged(const PrecisionOutcome& o, const PrecisionTarget& t) {
  std::string text;
  for (const MetricPrecision& m : o.metrics) {
    if (!m.applicable || m.converged) continue;
    const double relative = m.summary.mean != 0 ? 100 * m.summary.ci95 / std::abs(m.summary.mean) : INFINITY;
    text += fmt::format("{}{} ±{:.2f}% (asked ±{:g}%)", text.empty() ? "" : ", ", kRunMetrics[m.metric].name, relative,
                        100 * t.precision);
  }
  return text;
}

}  // namespace loadlab::cli
