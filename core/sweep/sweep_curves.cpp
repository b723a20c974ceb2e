#include "sweep/sweep_curves.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace loadlab {
namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out.empty() ? "none" : out;
}

// A number with thousands separators: 3400 → "3,400".
std::string grouped(double v) {
  const std::string digits = fmt::format("{:.0f}", std::fabs(v));
  std::string out = v < 0 && digits != "0" ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && std::isfinite(out);
}

}  // namespace

std::string default_theory_column(std::string_view metric) {
  if (metric == "mean_us") return "theory_mean_us";
  if (metric == "hit_ratio") return "theory_lru_hit_ratio";
  if (metric == "in_flight_mean") return "littles_l";
  return "";
}

std::string format_quantity(std::string_view name, double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (ends_with(name, "_us")) {
    if (std::fabs(value) >= 1e6) return fmt::format("{:.3g} s", value / 1e6);
    if (std::fabs(value) >= 1000) return fmt::format("{:.3g} ms", value / 1000);
    return fmt::format("{:.3g} µs", value);
  }
  if (name == "rate" || ends_with(name, "_rps")) return grouped(value) + " req/s";
  if (std::fabs(value) >= 1000 && std::fabs(value - std::round(value)) < 1e-9) return grouped(value);
  return fmt::format("{:.4g}", value);
}

SweepCurves build_sweep_curves(const SweepTable& table, const SweepCurveRequest& request) {
  SweepCurves out;
  out.x = request.x;
  out.y = request.y;
  out.by = request.by;
  const std::size_t xi = table.parameter(request.x);
  if (xi == SweepTable::npos)
    throw std::invalid_argument(
        fmt::format("x '{}': not a parameter of this sweep (it varies {})", request.x, joined(table.parameters)));
  const std::size_t yi = table.column(request.y);
  if (yi == SweepTable::npos || ends_with(request.y, "_ci95"))
    throw std::invalid_argument(
        fmt::format("y '{}': not a metric of this sweep (`loadlab-cli sweep --help` lists them)", request.y));
  std::size_t bi = SweepTable::npos;
  if (!request.by.empty()) {
    bi = table.parameter(request.by);
    if (bi == SweepTable::npos)
      throw std::invalid_argument(
          fmt::format("by '{}': not a parameter of this sweep (it varies {})", request.by, joined(table.parameters)));
    if (bi == xi) throw std::invalid_argument(fmt::format("by '{}': the same parameter as x", request.by));
  }
  out.theory = request.theory.empty() ? default_theory_column(request.y) : request.theory;
  if (out.theory == "none") out.theory.clear();
  std::size_t ti = out.theory.empty() ? SweepTable::npos : table.column(out.theory);
  if (!out.theory.empty() && ti == SweepTable::npos) {
    if (!request.theory.empty())
      throw std::invalid_argument(fmt::format("theory '{}': not a column of this sweep", request.theory));
    out.theory.clear();  // the default formula is not in this file: draw without it
  }
  const std::size_t half_i = table.column(request.y + "_ci95");

  // Parameters that are neither x nor by are held at the value of the sweep's first point.
  std::vector<std::size_t> held;
  for (std::size_t p = 0; p < table.parameters.size(); ++p)
    if (p != xi && p != bi) held.push_back(p);
  if (!table.rows.empty())
    for (std::size_t p : held)
      out.held +=
          fmt::format("{}{}={}", out.held.empty() ? "" : ", ", table.parameters[p], table.rows.front().values[p]);

  double lo = INFINITY, hi = -INFINITY;
  for (const SweepTable::Row& row : table.rows) {
    bool other = false;
    for (std::size_t p : held) other = other || row.values[p] != table.rows.front().values[p];
    if (other) continue;
    double x = 0;
    if (!parse_number(row.values[xi], x))
      throw std::invalid_argument(
          fmt::format("x '{}': its value '{}' is not a number (a categorical parameter "
                      "makes one curve each: give it as by)",
                      request.x, row.values[xi]));
    const std::string label = bi == SweepTable::npos ? request.y : row.values[bi];
    auto curve =
        std::find_if(out.curves.begin(), out.curves.end(), [&](const SweepCurve& c) { return c.label == label; });
    if (curve == out.curves.end()) {
      out.curves.push_back({label, {}, {}});
      curve = out.curves.end() - 1;
    }
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    const double y = row.figures[yi];
    if (std::isfinite(y))
      curve->measured.push_back({x, y, half_i == SweepTable::npos ? std::nan("") : row.figures[half_i]});
    if (ti != SweepTable::npos && std::isfinite(row.figures[ti])) curve->theory.push_back({x, row.figures[ti], 0});
  }
  auto by_x = [](const CurvePoint& a, const CurvePoint& b) { return a.x < b.x; };
  for (SweepCurve& c : out.curves) {
    std::stable_sort(c.measured.begin(), c.measured.end(), by_x);
    std::stable_sort(c.theory.begin(), c.theory.end(), by_x);
  }
  out.log_x = lo > 0 && hi / lo >= 20;
  return out;
}

std::vector<TargetCrossing> target_crossings(const SweepCurves& curves, double target) {
  std::vector<TargetCrossing> out;
  for (const SweepCurve& c : curves.curves) {
    TargetCrossing t;
    t.label = c.label;
    const auto& p = c.measured;
    if (p.empty()) continue;
    t.kind = p.front().y > target ? TargetCrossing::Kind::always_above : TargetCrossing::Kind::always_below;
    for (std::size_t i = 0; i + 1 < p.size(); ++i) {
      const double a = p[i].y - target, b = p[i + 1].y - target;
      if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) {
        t.kind = TargetCrossing::Kind::crosses;
        t.rising = a < 0;
        t.x = p[i].x + (p[i + 1].x - p[i].x) * (a / (a - b));
        break;
      }
    }
    out.push_back(t);
  }
  return out;
}

std::string describe_crossings(const SweepCurves& curves, double target) {
  std::string text;
  bool first_pass = true, first_fall = true;
  for (const TargetCrossing& t : target_crossings(curves, target)) {
    std::string part;
    const std::string target_text = format_quantity(curves.y, target);
    switch (t.kind) {
      case TargetCrossing::Kind::crosses: {
        bool& first = t.rising ? first_pass : first_fall;
        part = fmt::format("{} {}at {}", t.label,
                           first ? fmt::format("{} {} ", t.rising ? "passes" : "falls below", target_text) : "",
                           format_quantity(curves.x, t.x));
        first = false;
        break;
      }
      case TargetCrossing::Kind::always_below:
        part = fmt::format("{} stays below {}", t.label, target_text);
        break;
      case TargetCrossing::Kind::always_above:
        part = fmt::format("{} stays above {}", t.label, target_text);
        break;
    }
    if (!text.empty()) text += "; ";
    text += part;
  }
  return text;
}

}  // namespace loadlab
