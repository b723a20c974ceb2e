#pragma once
// Latency as a distribution: one cumulative curve per node (x latency in ms on a log scale,
// y the share of requests answered at or below it), with each node's p50 and p99 marked on
// its curve. The tail is a shape here: a sick node's curve bends right at the top.
#include <QChartView>
#include <QColor>
#include <QFont>
#include <QList>
#include <QPointF>
#include <QString>
#include <vector>

class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace loadlab::ui {

class DistributionChart : public QChartView {
  Q_OBJECT
 public:
  explicit DistributionChart(QWidget* parent = nullptr);
  void set_series(const std::vector<QString>& names, const std::vector<QColor>& colors);
  // One CDF per series (from latency_cdf), and each node's p50 and p99 in ms (NaN: none yet).
  void set_distributions(const std::vector<QList<QPointF>>& cdfs, const std::vector<double>& p50_ms,
                         const std::vector<double>& p99_ms);
  void set_dark(bool dark);
  void set_fonts(const QFont& font);
  std::size_t series_count() const { return series_.size(); }
  qsizetype point_count(std::size_t series) const;
  QList<QPointF> points(std::size_t series) const;
  qsizetype marker_count() const;

 private:
  void style();
  std::vector<QLineSeries*> series_;
  std::vector<QColor> colors_;
  QScatterSeries* markers_;
  bool dark_ = true;
  QLogValueAxis* x_axis_;
  QValueAxis* y_axis_;
};

}  // namespace loadlab::ui
