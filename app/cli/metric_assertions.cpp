#include "metric_assertions.h"

#include <fmt/format.h>

#include "sweep/sweep_csv.h"

namespace loadlab::cli {

std::vector<MetricAssertion> parse_assertions(const std::vector<std::string>& texts) {
  std::vector<MetricAssertion> out;
  for (const std::string& t : texts) out.push_back(parse_assertion(t));
  return out;
}

std::size_t report_failed_assertions(const std::vector<MetricAssertion>& assertions, const RunMetricValues& values,
                                     const std::string& where) {
  std::size_t failed = 0;
  for (const MetricAssertion& a : assertions) {
    const double v = values[a.metric];
    if (a.holds(v)) continue;
    ++failed;
    const std::string value = std::isnan(v) ? std::string("no value") : format_figure(v);
    fmt::print(stderr, "loadlab-cli: assertion failed: {}{} ({} = {})\n", a.text, where.empty() ? "" : " at " + where,
               kRunMetrics[a.metric].name, value);
  }
  return failed;
}

}  // namespace loadlab::cli
