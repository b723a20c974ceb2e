#include "chart_series.h"

#include <algorithm>
#include <cmath>

namespace loadlab::ui {

double nice_ceiling(double v) {
  if (!(v > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= v) return m * magnitude;
  return 10 * magnitude;
}

RecentCompletions recent_completions(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span) {
  RecentCompletions r;
  r.completed.assign(nodes, 0);
  r.from = snapshots.size() > span ? snapshots.size() - span : 0;
  for (std::size_t k = r.from; k < snapshots.size(); ++k) {
    const Snapshot& s = snapshots[k];
    r.seconds += s.interval_s;
    for (std::size_t i = 0; i < nodes && i < s.nodes.size(); ++i)
      r.completed[i] += static_cast<double>(s.nodes[i].interval_completed);
  }
  for (double c : r.completed) r.total += c;
  return r;
}

std::vector<ShareBar> share_bars(const RecentCompletions& recent, const Snapshot& latest,
                                 const std::vector<QString>& names, const std::vector<QColor>& colors) {
  const std::size_t n = recent.completed.size();
  std::vector<ShareBar> bars(n);
  for (std::size_t i = 0; i < n; ++i) {
    ShareBar& b = bars[i];
    b.name = i < names.size() ? names[i] : QString();
    b.color = i < colors.size() ? colors[i] : QColor();
    b.rps = recent.seconds > 0 ? recent.completed[i] / recent.seconds : 0;
    b.share = recent.total > 0 ? recent.completed[i] / recent.total : 0;
    const double e = i < latest.nodes.size() ? latest.nodes[i].expected_share : std::nan("");
    b.expected_share = std::isfinite(e) ? e : -1;
    b.expected_rps = std::isfinite(e) && recent.seconds > 0 ? e * recent.total / recent.seconds : -1;
  }
  return bars;
}

TimeLines time_lines(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span, double interval_ms) {
  TimeLines lines;
  lines.hit.resize(nodes);
  lines.in_flight.resize(nodes);
  lines.latency.resize(4);
  if (snapshots.empty()) return lines;
  const std::size_t from = snapshots.size() > span ? snapshots.size() - span : 0;
  const auto points = static_cast<qsizetype>(snapshots.size() - from);
  for (auto& l : lines.hit) l.reserve(points);
  for (auto& l : lines.in_flight) l.reserve(points);
  for (std::size_t k = from; k < snapshots.size(); ++k) {
    const Snapshot& s = snapshots[k];
    const double t = static_cast<double>(s.t_ms) / 1000.0;
    for (std::size_t i = 0; i < nodes && i < s.nodes.size(); ++i) {
      const NodeSample& ns = s.nodes[i];
      const std::uint64_t lookups = ns.interval_hits + ns.interval_misses;
      if (lookups > 0)
        lines.hit[i].append({t, 100.0 * static_cast<double>(ns.interval_hits) / static_cast<double>(lookups)});
      lines.in_flight[i].append({t, static_cast<double>(ns.in_flight)});
    }
    if (std::isfinite(s.p50_us)) {
      lines.latency[0].append({t, s.mean_us / 1000});
      lines.latency[1].append({t, s.p50_us / 1000});
      lines.latency[2].append({t, s.p95_us / 1000});
      lines.latency[3].append({t, s.p99_us / 1000});
    }
  }
  const double t_end = static_cast<double>(snapshots.back().t_ms) / 1000.0;
  lines.x_from = std::max(0.0, t_end - static_cast<double>(span) * interval_ms / 1000.0);
  lines.x_to = std::max(t_end, lines.x_from + 10);
  return lines;
}

DifferenceLines difference_lines(const std::deque<Snapshot>& a, const std::deque<Snapshot>& b, std::size_t span,
                                 double interval_ms, std::size_t smooth) {
  DifferenceLines d;
  if (a.empty() || b.empty()) return d;
  auto hit_percent = [](const Snapshot& s) {
    std::uint64_t hits = 0, lookups = 0;
    for (const NodeSample& n : s.nodes) {
      hits += n.interval_hits;
      lookups += n.interval_hits + n.interval_misses;
    }
    return lookups > 0 ? 100.0 * static_cast<double>(hits) / static_cast<double>(lookups) : std::nan("");
  };
  const std::size_t from = a.size() > span ? a.size() - span : 0;
  std::size_t j = 0;
  for (std::size_t k = from; k < a.size(); ++k) {
    const Snapshot& sa = a[k];
    while (j < b.size() && b[j].t_ms < sa.t_ms) ++j;
    if (j == b.size()) break;
    const Snapshot& sb = b[j];
    if (sb.t_ms != sa.t_ms) continue;
    const double t = static_cast<double>(sa.t_ms) / 1000.0;
    // An interval that completed nothing has no percentile (its mean is NaN).
    if (std::isfinite(sa.mean_us) && std::isfinite(sb.mean_us)) d.p99_ms.append({t, (sa.p99_us - sb.p99_us) / 1000});
    const double ha = hit_percent(sa), hb = hit_percent(sb);
    if (std::isfinite(ha) && std::isfinite(hb)) d.hit_points.append({t, ha - hb});
  }
  if (smooth > 1)
    for (QList<QPointF>* line : {&d.p99_ms, &d.hit_points}) {
      QList<QPointF> averaged;
      double sum = 0;
      for (qsizetype i = 0; i < line->size(); ++i) {
        sum += (*line)[i].y();
        if (i >= static_cast<qsizetype>(smooth)) sum -= (*line)[i - static_cast<qsizetype>(smooth)].y();
        const double n = static_cast<double>(std::min<qsizetype>(i + 1, static_cast<qsizetype>(smooth)));
        averaged.append({(*line)[i].x(), sum / n});
      }
      *line = std::move(averaged);
    }
  const double t_end = static_cast<double>(a.back().t_ms) / 1000.0;
  d.x_from = std::max(0.0, t_end - static_cast<double>(span) * interval_ms / 1000.0);
  d.x_to = std::max(t_end, d.x_from + 10);
  return d;
}

std::vector<QList<QPointF>> node_latency_lines(const std::deque<Snapshot>& snapshots, std::size_t nodes,
                                               std::size_t span, LatencyFigure figure) {
  std::vector<QList<QPointF>> lines(nodes);
  const std::size_t from = snapshots.size() > span ? snapshots.size() - span : 0;
  for (std::size_t k = from; k < snapshots.size(); ++k) {
    const Snapshot& s = snapshots[k];
    const double t = static_cast<double>(s.t_ms) / 1000.0;
    for (std::size_t i = 0; i < nodes && i < s.nodes.size(); ++i) {
      const NodeSample& n = s.nodes[i];
      const double us = figure == LatencyFigure::mean  ? n.mean_us
                        : figure == LatencyFigure::p50 ? n.p50_us
                        : figure == LatencyFigure::p95 ? n.p95_us
                                                       : n.p99_us;
      if (std::isfinite(us)) lines[i].append({t, us / 1000});
    }
  }
  return lines;
}

QList<QPointF> latency_cdf(const Histogram& latency_ns) {
  QList<QPointF> points;
  const std::uint64_t total = latency_ns.count();
  if (total == 0) return points;
  std::uint64_t below = 0;
  for (std::size_t b = 0; b < Histogram::kBucketCount; ++b) {
    const std::uint64_t n = latency_ns.bucket_count(b);
    if (n == 0) continue;
    // From 1 ns at least: a log axis drops a whole series with a point at 0 (a zero-time hit).
    if (points.empty())
      points.append({static_cast<double>(std::max<std::uint64_t>(Histogram::bucket_low(b), 1)) / 1e6, 0.0});
    below += n;
    points.append({static_cast<double>(Histogram::bucket_high(b)) / 1e6,
                   100.0 * static_cast<double>(below) / static_cast<double>(total)});
  }
  return points;
}

double HeatGrid::max() const {
  double m = 0;
  for (double v : values)
    if (std::isfinite(v)) m = std::max(m, v);
  return m;
}

double HeatGrid::quantile(double q) const {
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(finite.size() - 1));
  std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(k), finite.end());
  return finite[k];
}

HeatGrid heat_grid(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span, double interval_ms,
                   HeatFigure figure) {
  HeatGrid g;
  const std::size_t from = snapshots.size() > span ? snapshots.size() - span : 0;
  g.rows = nodes;
  g.columns = snapshots.size() - from;
  g.values.assign(g.rows * g.columns, std::nan(""));
  for (std::size_t k = from; k < snapshots.size(); ++k) {
    const Snapshot& s = snapshots[k];
    const std::size_t column = k - from;
    for (std::size_t i = 0; i < nodes && i < s.nodes.size(); ++i) {
      const NodeSample& n = s.nodes[i];
      double v = std::nan("");
      if (figure == HeatFigure::in_flight) {
        v = static_cast<double>(n.in_flight);
      } else if (figure == HeatFigure::rate) {
        if (s.interval_s > 0) v = static_cast<double>(n.interval_completed) / s.interval_s;
      } else if (const std::uint64_t lookups = n.interval_hits + n.interval_misses; lookups > 0) {
        v = 100.0 * static_cast<double>(n.interval_hits) / static_cast<double>(lookups);
      }
      g.values[i * g.columns + column] = v;
    }
  }
  if (!snapshots.empty()) {
    const double t_end = static_cast<double>(snapshots.back().t_ms) / 1000.0;
    g.x_from = std::max(0.0, t_end - static_cast<double>(span) * interval_ms / 1000.0);
    g.x_to = std::max(t_end, g.x_from + 10);
    g.data_to = t_end;
    g.data_from = static_cast<double>(snapshots[from].t_ms) / 1000.0 - snapshots[from].interval_s;
  }
  return g;
}

std::vector<TimeMark> timeline_marks(const Scenario& scenario) {
  std::vector<TimeMark> marks;
  const auto name = [&](std::size_t node) {
    return node < scenario.nodes.size() ? QString::fromStdString(scenario.nodes[node].name)
                                        : QStringLiteral("#%1").arg(node);
  };
  for (const FaultEvent& f : scenario.faults) {
    QString label;
    switch (f.action) {
      case FaultEvent::Action::kill:
        label = QStringLiteral("kill %1").arg(name(f.node));
        break;
      case FaultEvent::Action::revive:
        label = QStringLiteral("revive %1").arg(name(f.node));
        break;
      case FaultEvent::Action::speed:
        label = QStringLiteral("%1 speed %2").arg(name(f.node)).arg(f.speed, 0, 'g', 3);
        break;
      case FaultEvent::Action::spikes:
        label = f.probability > 0 ? QStringLiteral("%1 sick %2%").arg(name(f.node)).arg(100 * f.probability, 0, 'g', 3)
                                  : QStringLiteral("%1 well").arg(name(f.node));
        break;
    }
    marks.push_back({f.at_s, label});
  }
  const RateSchedule& rates = scenario.workload.rate_schedule;
  for (std::size_t k = 1; k < rates.points.size(); ++k)  // the first point is the start
    marks.push_back({rates.points[k].at_s, QStringLiteral("rate %1").arg(rates.points[k].rate, 0, 'f', 0)});
  std::stable_sort(marks.begin(), marks.end(), [](const TimeMark& a, const TimeMark& b) { return a.t_s < b.t_s; });
  std::vector<TimeMark> merged;
  for (TimeMark& m : marks) {
    if (!merged.empty() && std::abs(merged.back().t_s - m.t_s) < 1e-9)
      merged.back().label += QStringLiteral(", ") + m.label;
    else
      merged.push_back(std::move(m));
  }
  return merged;
}

std::vector<NodeTraffic> node_traffic(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t from) {
  std::vector<NodeTraffic> traffic(nodes);
  for (std::size_t i = 0; i < nodes; ++i) {
    double served = 0, hits = 0, lookups = 0, seconds = 0;
    for (std::size_t k = from; k < snapshots.size(); ++k) {
      seconds += snapshots[k].interval_s;
      if (i >= snapshots[k].nodes.size()) continue;
      const NodeSample& ns = snapshots[k].nodes[i];
      served += static_cast<double>(ns.interval_completed);
      hits += static_cast<double>(ns.interval_hits);
      lookups += static_cast<double>(ns.interval_hits + ns.interval_misses);
    }
    traffic[i].rate = seconds > 0 ? served / seconds : 0.0;
    traffic[i].hit_ratio = lookups > 0 ? hits / lookups : 0.0;
  }
  return traffic;
}

std::vector<double> hit_reference_lines(const std::vector<double>& hit_ratios, std::size_t per_node_limit) {
  std::vector<double> values;
  if (hit_ratios.size() <= per_node_limit) {
    for (double h : hit_ratios) values.push_back(100 * h);
    return values;
  }
  double sum = 0;
  for (double h : hit_ratios) sum += h;
  values.push_back(100 * sum / static_cast<double>(hit_ratios.size()));
  return values;
}

}  // namespace loadlab::ui
