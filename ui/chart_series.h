#pragma once
// What the dashboard draws, computed from the kept snapshots by plain functions: no widget is
// needed to build (or to test) a bar, a line or the traffic the queueing model is fed.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <deque>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/snapshot.h"
#include "scenario/scenario.h"
#include "theory/predictions.h"

namespace loadlab::ui {

// A "nice" axis or colour-scale maximum: 1, 2 or 5 times a power of ten, at or above v (1
// for v <= 0), so a scale changes rarely.
double nice_ceiling(double v);

// One node's bar: measured rate and share with theory's beside them.
struct ShareBar {
  QString name;
  QColor color;
  double rps = 0;            // measured, requests per second
  double expected_rps = -1;  // theory; < 0 when the policy has no closed form
  double share = 0;          // measured share of the total
  double expected_share = -1;
};

// Requests completed per node over the newest `span` snapshots (the bars average the last
// second, so a single interval's noise does not make them jump).
struct RecentCompletions {
  std::size_t from = 0;  // index of the first snapshot counted
  std::vector<double> completed;
  double seconds = 0;
  double total = 0;
  double rps() const { return seconds > 0 ? total / seconds : 0; }
};
RecentCompletions recent_completions(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span);

// Bars from the recent completions and theory's shares in the newest snapshot.
std::vector<ShareBar> share_bars(const RecentCompletions& recent, const Snapshot& latest,
                                 const std::vector<QString>& names, const std::vector<QColor>& colors);

// The time charts' lines over the newest `span` snapshots: per node hit ratio (%, only for
// intervals with a lookup) and in flight; for the cluster mean, p50, p95 and p99 in ms (only
// for intervals that completed a request). The x range is at least 10 s wide, so the first
// seconds of a run do not stretch across the whole chart.
struct TimeLines {
  std::vector<QList<QPointF>> hit, in_flight, latency;
  double x_from = 0, x_to = 10;
};
TimeLines time_lines(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span, double interval_ms);

// Which latency figure of an interval a line shows.
enum class LatencyFigure { mean, p50, p95, p99 };
// One line per node of that figure in ms (only for intervals in which the node completed a
// request), over the newest `span` snapshots: "node a queues, node c idles" on one chart.
std::vector<QList<QPointF>> node_latency_lines(const std::deque<Snapshot>& snapshots, std::size_t nodes,
                                               std::size_t span, LatencyFigure figure);

// A latency histogram (ns) as a cumulative distribution: (latency in ms, % of requests at or
// below it), one point per non-empty bucket at its upper edge, starting from 0% at the first
// bucket's lower edge. Empty for an empty histogram. Bucket edges are exact to 1/128 of the
// value (metrics/histogram.h), finer than a chart can show.
QList<QPointF> latency_cdf(const Histogram& latency_ns);

// Node × time as a grid for a heatmap: row = node, column = snapshot (the newest `span`),
// NaN where the interval has no value (no lookup for a hit ratio).
enum class HeatFigure { hit_ratio, in_flight, rate };
struct HeatGrid {
  std::size_t rows = 0, columns = 0;
  std::vector<double> values;         // row-major: values[row * columns + column]
  double x_from = 0, x_to = 10;       // the axis, in seconds, as TimeLines
  double data_from = 0, data_to = 0;  // what the columns cover: the first interval's start to the last's end
  double at(std::size_t row, std::size_t column) const { return values[row * columns + column]; }
  double max() const;  // of the finite values; 0 when there are none
  // The q-quantile of the finite values (0 when there are none): a colour scale set by the
  // 99th percentile is not washed out by one interval's spike.
  double quantile(double q) const;
};
HeatGrid heat_grid(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t span, double interval_ms,
                   HeatFigure figure);

// The scenario's scheduled events as marks on the time axis of every chart: each fault
// ("kill b", "revive b", "b speed 0.5", "b sick 5%") and each step of a rate schedule
// ("rate 4000"), in time order. Events at the same moment share one mark. A repeating rate
// schedule is marked over its first period only.
struct TimeMark {
  double t_s = 0;
  QString label;
};
std::vector<TimeMark> timeline_marks(const Scenario& scenario);

// A/B: side A against side B interval by interval, matched by their time (on the virtual
// clock both sides close the same intervals): p99 A − B in ms (where both completed a
// request) and the cluster's hit ratio A − B in percentage points (where both looked up),
// over A's newest `span` snapshots. `smooth` > 1 draws each point as the mean of the newest
// `smooth` differences (one interval's p99 is noisy; a second's average reads).
struct DifferenceLines {
  QList<QPointF> p99_ms, hit_points;
  double x_from = 0, x_to = 10;
};
DifferenceLines difference_lines(const std::deque<Snapshot>& a, const std::deque<Snapshot>& b, std::size_t span,
                                 double interval_ms, std::size_t smooth = 1);

// Each node's arrival rate and hit ratio from snapshot `from` on: what the M/G/1 model is fed.
std::vector<NodeTraffic> node_traffic(const std::deque<Snapshot>& snapshots, std::size_t nodes, std::size_t from);

// Che's per-node hit ratios as reference lines in %: one per node up to `per_node_limit` nodes
// (each sits on its node's line), their mean beyond (64 dashed lines read as noise).
std::vector<double> hit_reference_lines(const std::vector<double>& hit_ratios, std::size_t per_node_limit = 8);

}  // namespace loadlab::ui
