#include "sweep/sweep_parameter.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "scenario/scenario.h"
#include "sweep/scenario_parameter.h"

namespace loadlab {
namespace {

// Ranges beyond this are a typo, not a sweep (and would exhaust memory before running).
constexpr std::size_t kMaxValuesPerParameter = 100'000;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::optional<double> to_number(const std::string& text) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// %.10g drops the noise of lo + i·step (0.30000000000000004 is written 0.3) and keeps ten
// significant digits, more than any rate or size needs.
ParameterValue numeric_value(double v) {
  const std::string text = fmt::format("{:.10g}", v);
  return {text, *to_number(text)};
}

}  // namespace

SweepParameter parse_sweep_parameter(const std::string& argument) {
  const std::size_t eq = argument.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("--vary", fmt::format("'{}': expected PARAM=SPEC, e.g. rate=1000:5000:500", argument));
  SweepParameter p;
  p.name = argument.substr(0, eq);
  p.spec = argument.substr(eq + 1);
  const std::string field = "--vary " + p.name;
  const ParameterInfo* info = find_sweep_parameter(p.name);
  if (!info) {
    std::string known;
    for (const ParameterInfo& i : sweep_parameters()) known += (known.empty() ? "" : ", ") + i.name;
    throw ScenarioError("--vary", fmt::format("unknown parameter '{}' (known: {})", p.name, known));
  }
  if (info->name.ends_with(":NODE") && p.name.size() == info->name.size() - 4)
    throw ScenarioError("--vary", fmt::format("'{}' needs a node name, e.g. {}c", p.name, p.name));
  if (p.spec.empty()) throw ScenarioError(field, "empty SPEC: give a list a,b,c or a range lo:hi:step or lo:hi:xN");
  auto bad = [&](const std::string& why) { return ScenarioError(field, fmt::format("'{}': {}", p.spec, why)); };

  const std::vector<std::string> range = split(p.spec, ':');
  if (range.size() == 1) {
    for (const std::string& item : split(p.spec, ',')) {
      if (item.empty()) throw bad("empty item in the list");
      if (info->kind == ParameterKind::categorical) {
        p.values.push_back({item, 0});
        continue;
      }
      const auto v = to_number(item);
      if (!v) throw bad(fmt::format("'{}' is not a number", item));
      p.values.push_back({item, *v});
    }
  } else {
    if (info->kind == ParameterKind::categorical)
      throw bad(fmt::format("'{}' takes a list of names (a,b,c), not a range", p.name));
    if (range.size() != 3) throw bad("a range is lo:hi:step or lo:hi:xN");
    const auto lo = to_number(range[0]), hi = to_number(range[1]);
    if (!lo) throw bad(fmt::format("lo '{}' is not a number", range[0]));
    if (!hi) throw bad(fmt::format("hi '{}' is not a number", range[1]));
    if (*lo > *hi) throw bad(fmt::format("lo {} is greater than hi {}: the range is empty", range[0], range[1]));
    if (!range[2].empty() && range[2][0] == 'x') {
      const auto n = to_number(range[2].substr(1));
      if (!n || *n < 1 || *n != std::floor(*n))
        throw bad(fmt::format("'{}': xN needs a whole number of points N >= 1", range[2]));
      if (*n > static_cast<double>(kMaxValuesPerParameter))
        throw bad(fmt::format("{} points is more than the limit of {}", range[2].substr(1), kMaxValuesPerParameter));
      if (*lo <= 0) throw bad(fmt::format("a log range needs lo > 0, not {}", range[0]));
      const auto count = static_cast<std::size_t>(*n);
      if (count == 1 && *lo != *hi) throw bad("x1 gives one point: lo and hi must be equal (or use x2 or more)");
      for (std::size_t i = 0; i < count; ++i) {
        const double t = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
        // The ends exactly as written, the points between them a constant factor apart.
        const double v = i == 0 ? *lo : i + 1 == count ? *hi : *lo * std::pow(*hi / *lo, t);
        p.values.push_back(numeric_value(v));
      }
    } else {
      const auto step = to_number(range[2]);
      if (!step) throw bad(fmt::format("step '{}' is not a number (or xN for a log range)", range[2]));
      if (*step <= 0) throw bad(fmt::format("step {} must be greater than 0", range[2]));
      const double steps = std::floor((*hi - *lo) / *step + 1e-9);
      if (steps + 1 > static_cast<double>(kMaxValuesPerParameter))
        throw bad(fmt::format("{:.0f} points is more than the limit of {}", steps + 1, kMaxValuesPerParameter));
      for (std::size_t i = 0; i <= static_cast<std::size_t>(steps); ++i)
        p.values.push_back(numeric_value(*lo + static_cast<double>(i) * *step));
    }
  }
  if (info->kind == ParameterKind::integer) {
    std::vector<ParameterValue> whole;
    const bool from_log = range.size() == 3 && !range[2].empty() && range[2][0] == 'x';
    for (const ParameterValue& v : p.values) {
      if (v.number < 0) throw bad(fmt::format("{} must not be negative, not {}", p.name, v.text));
      if (v.number != std::floor(v.number) && !from_log)
        throw bad(fmt::format("{} takes whole numbers, not {}", p.name, v.text));
      const ParameterValue rounded = numeric_value(std::round(v.number));
      if (whole.empty() || whole.back().text != rounded.text) whole.push_back(rounded);
    }
    p.values = std::move(whole);
  }
  if (p.values.empty()) throw bad("no values");
  return p;
}

}  // namespace loadlab
