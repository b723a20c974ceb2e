#include "dashboard.h"

#include <QGridLayout>
#include <cmath>

#include "share_bars.h"
#include "theory/predictions.h"
#include "time_chart.h"

namespace loadlab::ui {

Dashboard::Dashboard(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  bars_ = new ShareBars;
  hit_chart_ = new TimeChart(tr("Cache hit ratio per node"), tr("hit ratio %"));
  latency_chart_ = new TimeChart(tr("Latency, all nodes"), tr("ms"));
  in_flight_chart_ = new TimeChart(tr("In flight per node (queued + in service)"), tr("requests"));
  hit_chart_->setToolTip(tr("Share of requests served from the node's cache, per interval"));
  latency_chart_->setToolTip(
      tr("p50, p95 and p99 latency of the requests completed in each interval, "
         "measured from the intended send time"));
  in_flight_chart_->setToolTip(tr("Requests sent to the node and not yet answered: a growing line is a queue"));
  latency_chart_->set_series({tr("mean"), QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99")},
                             {QColor(0xF0E442), QColor(0x56B4E9), QColor(0xE69F00), QColor(0xD55E00)});
  grid->addWidget(bars_, 0, 0);
  grid->addWidget(latency_chart_, 0, 1);
  grid->addWidget(hit_chart_, 1, 0);
  grid->addWidget(in_flight_chart_, 1, 1);
  for (int k = 0; k < 2; ++k) {
    grid->setRowStretch(k, 1);
    grid->setColumnStretch(k, 1);
  }
}

void Dashboard::set_nodes(const std::vector<QString>& names, const std::vector<QColor>& colors) {
  names_ = names;
  colors_ = colors;
  hit_chart_->set_series(names, colors);
  in_flight_chart_->set_series(names, colors);
}

void Dashboard::show_empty(std::size_t nodes) {
  bars_->set_bars({});
  std::vector<QList<QPointF>> none_nodes(nodes), none4(4);
  hit_chart_->set_points(none_nodes, 0, 60, 100);
  in_flight_chart_->set_points(none_nodes, 0, 60);
  latency_chart_->set_references({}, QString());
  latency_chart_->set_points(none4, 0, 60);
}

RecentCompletions Dashboard::draw(const std::deque<Snapshot>& snapshots, const Scenario& scenario, double time_scale) {
  const std::size_t n = scenario.nodes.size();
  const RecentCompletions recent = recent_completions(snapshots, n, kBarSnapshots);
  if (snapshots.empty()) return recent;
  bars_->set_bars(ui::share_bars(recent, snapshots.back(), names_, colors_));
  const TimeLines lines = time_lines(snapshots, n, kChartSnapshots, scenario.interval_ms);
  hit_chart_->set_points(lines.hit, lines.x_from, lines.x_to, 100);
  in_flight_chart_->set_points(lines.in_flight, lines.x_from, lines.x_to);
  update_latency_model(snapshots, recent.from, scenario, time_scale);
  latency_chart_->set_points(lines.latency, lines.x_from, lines.x_to);
  return recent;
}

void Dashboard::set_hit_model(const std::vector<double>& hit_ratios) {
  hit_chart_->set_references(hit_reference_lines(hit_ratios), tr("LRU model (Che)"));
}

// Queueing theory beside the measured mean: each node as an M/G/1 queue (Pollaczek–Khinchine)
// fed by its measured arrival rate and hit ratio over the last second; the cluster's mean is
// their request-weighted average. Shown for open-loop runs of one-slot nodes without writes,
// where the model's assumptions hold; hidden while any node is saturated (ρ ≥ 1).
void Dashboard::update_latency_model(const std::deque<Snapshot>& snapshots, std::size_t from, const Scenario& scenario,
                                     double time_scale) {
  const LatencyPrediction p =
      predict_latency(scenario, node_traffic(snapshots, scenario.nodes.size(), from), time_scale);
  if (!std::isfinite(p.mean_us)) {
    latency_chart_->set_references({}, QString());
    return;
  }
  latency_chart_->set_references({p.mean_us / 1000}, tr("M/G/1 mean"));  // short: the legend shares the chart's width
}

void Dashboard::set_hint(const QString& hint) { bars_->set_hint(hint); }

void Dashboard::set_dark(bool dark) {
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_dark(dark);
  bars_->update();
}

void Dashboard::set_fonts(const QFont& font) {
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_fonts(font);
  bars_->setFont(font);
}

}  // namespace loadlab::ui
