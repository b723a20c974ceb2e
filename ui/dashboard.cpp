#include "dashboard.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <cmath>

#include "distribution_chart.h"
#include "heatmap.h"
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
  latency_view_box_ = new QComboBox;
  latency_view_box_->setObjectName(QStringLiteral("latency_view_box"));
  latency_view_box_->addItems({tr("All nodes: mean, p50, p95, p99"), tr("Per node: mean"), tr("Per node: p50"),
                               tr("Per node: p95"), tr("Per node: p99"), tr("Distribution per node")});
  latency_view_box_->setToolTip(
      tr("The whole cluster's latency, or one line per node in its colour: a node that queues stands out"));
  auto* latency_panel = new QWidget;
  auto* latency_layout = new QVBoxLayout(latency_panel);
  latency_layout->setContentsMargins(0, 0, 0, 0);
  latency_layout->setSpacing(2);
  auto* latency_row = new QHBoxLayout;
  latency_row->addWidget(new QLabel(tr("Latency:")));
  latency_row->addWidget(latency_view_box_);
  latency_row->addStretch(1);
  latency_layout->addLayout(latency_row);
  distribution_chart_ = new DistributionChart;
  latency_stack_ = new QStackedWidget;
  latency_stack_->addWidget(latency_chart_);
  latency_stack_->addWidget(distribution_chart_);
  latency_layout->addWidget(latency_stack_, 1);
  connect(latency_view_box_, &QComboBox::currentIndexChanged, this, [this](int index) {
    set_latency_view(static_cast<LatencyView>(index));
    Q_EMIT latency_view_changed();
  });
  show_latency_series();
  grid->addWidget(bars_, 0, 0);
  grid->addWidget(latency_panel, 0, 1);
  hit_heatmap_ = new Heatmap(tr("Cache hit ratio per node, %"), QStringLiteral("%"));
  hit_heatmap_->set_scale(Heatmap::Scale::percent);
  in_flight_heatmap_ = new Heatmap(tr("In flight per node (queued + in service)"), tr("requests"));
  hit_stack_ = new QStackedWidget;
  hit_stack_->addWidget(hit_chart_);
  hit_stack_->addWidget(hit_heatmap_);
  in_flight_stack_ = new QStackedWidget;
  in_flight_stack_->addWidget(in_flight_chart_);
  in_flight_stack_->addWidget(in_flight_heatmap_);
  grid->addWidget(hit_stack_, 1, 0);
  grid->addWidget(in_flight_stack_, 1, 1);
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
  hit_heatmap_->set_row_names(names);
  in_flight_heatmap_->set_row_names(names);
  hit_stack_->setCurrentWidget(heatmaps_shown() ? static_cast<QWidget*>(hit_heatmap_) : hit_chart_);
  in_flight_stack_->setCurrentWidget(heatmaps_shown() ? static_cast<QWidget*>(in_flight_heatmap_) : in_flight_chart_);
  show_latency_series();
}

void Dashboard::set_latency_view(LatencyView view) {
  latency_view_ = view;
  if (latency_view_box_->currentIndex() != static_cast<int>(view)) {
    const QSignalBlocker block(latency_view_box_);
    latency_view_box_->setCurrentIndex(static_cast<int>(view));
  }
  show_latency_series();
}

void Dashboard::show_latency_series() {
  latency_chart_->set_references({}, QString());
  if (latency_view_ == LatencyView::distribution) {
    distribution_chart_->set_series(names_, colors_);
    latency_stack_->setCurrentWidget(distribution_chart_);
    return;
  }
  latency_stack_->setCurrentWidget(latency_chart_);
  if (latency_view_ == LatencyView::cluster) {
    latency_chart_->set_title(tr("Latency, all nodes"));
    latency_chart_->set_series({tr("mean"), QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99")},
                               {QColor(0xF0E442), QColor(0x56B4E9), QColor(0xE69F00), QColor(0xD55E00)});
    return;
  }
  const QString figure = latency_view_ == LatencyView::node_mean  ? tr("mean")
                         : latency_view_ == LatencyView::node_p50 ? QStringLiteral("p50")
                         : latency_view_ == LatencyView::node_p95 ? QStringLiteral("p95")
                                                                  : QStringLiteral("p99");
  latency_chart_->set_title(tr("Latency per node: %1").arg(figure));
  latency_chart_->set_series(names_, colors_);
}

void Dashboard::show_empty(std::size_t nodes) {
  bars_->set_bars({});
  std::vector<QList<QPointF>> none_nodes(nodes), none_latency(latency_chart_->series_count());
  hit_chart_->set_points(none_nodes, 0, 60, 100);
  in_flight_chart_->set_points(none_nodes, 0, 60);
  hit_heatmap_->set_grid({});
  in_flight_heatmap_->set_grid({});
  latency_chart_->set_references({}, QString());
  latency_chart_->set_points(none_latency, 0, 60);
  distribution_chart_->set_series(names_, colors_);
}

void Dashboard::show_distributions(const std::vector<Histogram>& latency_ns) {
  std::vector<QList<QPointF>> cdfs;
  std::vector<double> p50, p99;
  for (const Histogram& h : latency_ns) {
    cdfs.push_back(latency_cdf(h));
    const bool any = h.count() > 0;
    p50.push_back(any ? h.quantile(0.50) / 1e6 : std::nan(""));
    p99.push_back(any ? h.quantile(0.99) / 1e6 : std::nan(""));
  }
  distribution_chart_->set_distributions(cdfs, p50, p99);
}

RecentCompletions Dashboard::draw(const std::deque<Snapshot>& snapshots, const Scenario& scenario, double time_scale) {
  const std::size_t n = scenario.nodes.size();
  const RecentCompletions recent = recent_completions(snapshots, n, kBarSnapshots);
  if (snapshots.empty()) return recent;
  bars_->set_bars(ui::share_bars(recent, snapshots.back(), names_, colors_));
  const TimeLines lines = time_lines(snapshots, n, kChartSnapshots, scenario.interval_ms);
  if (heatmaps_shown()) {
    hit_heatmap_->set_grid(heat_grid(snapshots, n, kChartSnapshots, scenario.interval_ms, HeatFigure::hit_ratio));
    in_flight_heatmap_->set_grid(heat_grid(snapshots, n, kChartSnapshots, scenario.interval_ms, HeatFigure::in_flight));
  } else {
    hit_chart_->set_points(lines.hit, lines.x_from, lines.x_to, 100);
    in_flight_chart_->set_points(lines.in_flight, lines.x_from, lines.x_to);
  }
  update_latency_model(snapshots, recent.from, scenario, time_scale);
  if (latency_view_ == LatencyView::distribution) {
    // drawn from the run's histograms (show_distributions)
  } else if (latency_view_ == LatencyView::cluster) {
    latency_chart_->set_points(lines.latency, lines.x_from, lines.x_to);
  } else {
    const LatencyFigure figure = latency_view_ == LatencyView::node_mean  ? LatencyFigure::mean
                                 : latency_view_ == LatencyView::node_p50 ? LatencyFigure::p50
                                 : latency_view_ == LatencyView::node_p95 ? LatencyFigure::p95
                                                                          : LatencyFigure::p99;
    latency_chart_->set_points(node_latency_lines(snapshots, n, kChartSnapshots, figure), lines.x_from, lines.x_to);
  }
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
  if (overloaded_ || (latency_view_ != LatencyView::cluster && latency_view_ != LatencyView::node_mean)) {
    latency_chart_->set_references({}, QString());  // no steady state; or a percentile, the model has means
    return;
  }
  const LatencyPrediction p =
      predict_latency(scenario, node_traffic(snapshots, scenario.nodes.size(), from), time_scale);
  if (latency_view_ == LatencyView::node_mean) {
    // Each node's own M/G/1 mean, on its measured line (up to eight nodes, as for Che's model).
    std::vector<double> values;
    if (p.applicable && p.node_mean_us.size() <= 8)
      for (double us : p.node_mean_us)
        if (std::isfinite(us)) values.push_back(us / 1000);
    latency_chart_->set_references(values, tr("M/G/1 mean"));
    return;
  }
  if (!std::isfinite(p.mean_us)) {
    latency_chart_->set_references({}, QString());
    return;
  }
  latency_chart_->set_references({p.mean_us / 1000}, tr("M/G/1 mean"));  // short: the legend shares the chart's width
}

void Dashboard::set_marks(const std::vector<TimeMark>& marks) {
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_marks(marks);
}

void Dashboard::set_hint(const QString& hint) { bars_->set_hint(hint); }

void Dashboard::set_dark(bool dark) {
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_dark(dark);
  distribution_chart_->set_dark(dark);
  bars_->update();
  hit_heatmap_->update();
  in_flight_heatmap_->update();
}

void Dashboard::set_fonts(const QFont& font) {
  for (TimeChart* c : {hit_chart_, latency_chart_, in_flight_chart_}) c->set_fonts(font);
  distribution_chart_->set_fonts(font);
  hit_heatmap_->setFont(font);
  in_flight_heatmap_->setFont(font);
  bars_->setFont(font);
}

}  // namespace loadlab::ui
