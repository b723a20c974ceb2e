#pragma once
// The play area: per-node rate bars with theory's marker, latency percentiles with the M/G/1
// mean, hit ratio per node with Che's model, and requests in flight. It draws what the window
// hands it (the kept snapshots) and owns nothing of the run.
#include <QFont>
#include <QWidget>

class QComboBox;
class QStackedWidget;
#include <deque>
#include <vector>

#include "chart_series.h"
#include "metrics/snapshot.h"
#include "scenario/scenario.h"

namespace loadlab::ui {

class DistributionChart;
class Heatmap;
class ShareBars;
class TimeChart;

class Dashboard : public QWidget {
  Q_OBJECT
 public:
  static constexpr std::size_t kChartSnapshots = 600;  // 60 s at the default interval
  static constexpr std::size_t kBarSnapshots = 10;     // bars average the last second
  // Above this many nodes, hit ratio and in flight are heatmaps (node × time): 64 coloured
  // lines on one chart cannot be told apart, a 64-row picture can.
  static constexpr std::size_t kHeatmapNodes = 16;

  explicit Dashboard(QWidget* parent = nullptr);

  // A new cluster: one line per node in its colour, no points yet.
  void set_nodes(const std::vector<QString>& names, const std::vector<QColor>& colors);
  // No run yet (or reset): empty bars and charts.
  void show_empty(std::size_t nodes);
  // Draws the newest snapshots; `time_scale` stretches the model's service times (slow
  // motion). Returns the completions behind the bars, for the table and the status bar.
  RecentCompletions draw(const std::deque<Snapshot>& snapshots, const Scenario& scenario, double time_scale);
  // What the latency chart shows: the cluster's mean and percentiles, or one line per node
  // of one figure (with each node's M/G/1 mean beside its measured mean), or each node's
  // whole distribution since the run started (fed by show_distributions).
  enum class LatencyView { cluster, node_mean, node_p50, node_p95, node_p99, distribution };
  void set_latency_view(LatencyView view);
  LatencyView latency_view() const { return latency_view_; }
  QComboBox* latency_view_box() const { return latency_view_box_; }
  // Each node's latency histogram (ns) for the distribution view; nothing else uses them.
  void show_distributions(const std::vector<Histogram>& latency_ns);

  // The model says the offered load exceeds the capacity: no M/G/1 line (the measured
  // completions are capped at the capacity, and a model fed them would draw a steady state
  // that does not exist).
  void set_overloaded(bool overloaded) { overloaded_ = overloaded; }

  // The scenario's scheduled events on every time chart.
  void set_marks(const std::vector<TimeMark>& marks);

  // Che's per-node LRU hit ratios (empty when the cluster has no cache).
  void set_hit_model(const std::vector<double>& hit_ratios);
  void set_hint(const QString& hint);
  void set_dark(bool dark);
  void set_fonts(const QFont& font);

  ShareBars* share_bars() const { return bars_; }
  TimeChart* hit_chart() const { return hit_chart_; }
  TimeChart* latency_chart() const { return latency_chart_; }
  TimeChart* in_flight_chart() const { return in_flight_chart_; }
  DistributionChart* distribution_chart() const { return distribution_chart_; }
  Heatmap* hit_heatmap() const { return hit_heatmap_; }
  Heatmap* in_flight_heatmap() const { return in_flight_heatmap_; }
  bool heatmaps_shown() const { return names_.size() > kHeatmapNodes; }

 Q_SIGNALS:
  // The user chose another latency view: the window redraws from its history.
  void latency_view_changed();

 private:
  void show_latency_series();
  void update_latency_model(const std::deque<Snapshot>& snapshots, std::size_t from, const Scenario& scenario,
                            double time_scale);

  std::vector<QString> names_;
  std::vector<QColor> colors_;
  ShareBars* bars_;
  TimeChart* hit_chart_;
  TimeChart* latency_chart_;
  TimeChart* in_flight_chart_;
  DistributionChart* distribution_chart_;
  Heatmap* hit_heatmap_;
  Heatmap* in_flight_heatmap_;
  QStackedWidget* hit_stack_;
  QStackedWidget* in_flight_stack_;
  QStackedWidget* latency_stack_;
  QComboBox* latency_view_box_;
  LatencyView latency_view_ = LatencyView::cluster;
  bool overloaded_ = false;
};

}  // namespace loadlab::ui
