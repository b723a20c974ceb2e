#include "sweep/sweep_assertion.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "scenario/scenario.h"

namespace loadlab {

bool MetricAssertion::holds(double v) const {
  if (std::isnan(v)) return false;
  switch (op) {
    case Op::less:
      return v < threshold;
    case Op::less_equal:
      return v <= threshold;
    case Op::greater:
      return v > threshold;
    case Op::greater_equal:
      return v >= threshold;
    case Op::equal:
      return v == threshold;
    case Op::not_equal:
      return v != threshold;
  }
  return false;
}

MetricAssertion parse_assertion(const std::string& text) {
  static constexpr std::pair<const char*, MetricAssertion::Op> kOps[] = {
      {"<=", MetricAssertion::Op::less_equal}, {">=", MetricAssertion::Op::greater_equal},
      {"==", MetricAssertion::Op::equal},      {"!=", MetricAssertion::Op::not_equal},
      {"<", MetricAssertion::Op::less},        {">", MetricAssertion::Op::greater}};
  MetricAssertion a;
  a.text = text;
  const std::size_t at = text.find_first_of("<>=!");
  if (at == std::string::npos || at == 0)
    throw ScenarioError("--assert", fmt::format("'{}': expected METRIC OP NUMBER, e.g. 'p99_us<50000'", text));
  std::string name = text.substr(0, at);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::size_t rest = at;
  bool found = false;
  for (const auto& [symbol, op] : kOps)
    if (text.compare(at, std::char_traits<char>::length(symbol), symbol) == 0) {
      a.op = op;
      rest = at + std::char_traits<char>::length(symbol);
      found = true;
      break;
    }
  if (!found) throw ScenarioError("--assert", fmt::format("'{}': unknown operator (known: < <= > >= == !=)", text));
  a.metric = run_metric_index(name);
  if (a.metric == kRunMetricCount) {
    std::string known;
    for (const MetricInfo& m : kRunMetrics) known += (known.empty() ? "" : ", ") + std::string(m.name);
    throw ScenarioError("--assert", fmt::format("'{}': unknown metric '{}' (known: {})", text, name, known));
  }
  std::string number = text.substr(rest);
  while (!number.empty() && number.front() == ' ') number.erase(0, 1);
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), a.threshold);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || !std::isfinite(a.threshold))
    throw ScenarioError("--assert", fmt::format("'{}': '{}' is not a number", text, number));
  return a;
}

}  // namespace loadlab
