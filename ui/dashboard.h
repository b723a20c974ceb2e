#pragma once
// The play area: per-node rate bars with theory's marker, latency percentiles with the M/G/1
// mean, hit ratio per node with Che's model, and requests in flight. It draws what the window
// hands it (the kept snapshots) and owns nothing of the run.
#include <QFont>
#include <QWidget>
#include <deque>
#include <vector>

#include "chart_series.h"
#include "metrics/snapshot.h"
#include "scenario/scenario.h"

namespace loadlab::ui {

class ShareBars;
class TimeChart;

class Dashboard : public QWidget {
  Q_OBJECT
 public:
  static constexpr std::size_t kChartSnapshots = 600;  // 60 s at the default interval
  static constexpr std::size_t kBarSnapshots = 10;     // bars average the last second

  explicit Dashboard(QWidget* parent = nullptr);

  // A new cluster: one line per node in its colour, no points yet.
  void set_nodes(const std::vector<QString>& names, const std::vector<QColor>& colors);
  // No run yet (or reset): empty bars and charts.
  void show_empty(std::size_t nodes);
  // Draws the newest snapshots; `time_scale` stretches the model's service times (slow
  // motion). Returns the completions behind the bars, for the table and the status bar.
  RecentCompletions draw(const std::deque<Snapshot>& snapshots, const Scenario& scenario, double time_scale);
  // Che's per-node LRU hit ratios (empty when the cluster has no cache).
  void set_hit_model(const std::vector<double>& hit_ratios);
  void set_hint(const QString& hint);
  void set_dark(bool dark);
  void set_fonts(const QFont& font);

  ShareBars* share_bars() const { return bars_; }
  TimeChart* hit_chart() const { return hit_chart_; }
  TimeChart* latency_chart() const { return latency_chart_; }
  TimeChart* in_flight_chart() const { return in_flight_chart_; }

 private:
  void update_latency_model(const std::deque<Snapshot>& snapshots, std::size_t from, const Scenario& scenario,
                            double time_scale);

  std::vector<QString> names_;
  std::vector<QColor> colors_;
  ShareBars* bars_;
  TimeChart* hit_chart_;
  TimeChart* latency_chart_;
  TimeChart* in_flight_chart_;
};

}  // namespace loadlab::ui
