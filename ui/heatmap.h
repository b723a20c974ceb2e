#pragma once
// Many nodes over time as one picture: a row per node, a column per interval, the colour its
// value (hit ratio, in flight or rate) on a perceptually even scale with a colour bar. Where
// 64 overlapping lines are noise, a hot or starving node is a bright or dark stripe.
// Painted directly from a HeatGrid (chart_series.h).
#include <QString>
#include <QWidget>
#include <vector>

#include "chart_series.h"

namespace loadlab::ui {

class Heatmap : public QWidget {
  Q_OBJECT
 public:
  Heatmap(const QString& title, const QString& unit, QWidget* parent = nullptr);
  void set_row_names(const std::vector<QString>& names);
  // How the colour scale follows the data. Counts (in flight, rate): from 0 to the 99th
  // percentile rounded up. Percentages (hit ratio): from the 1st percentile rounded down to
  // a multiple of 10 up to 100, so 80% and 98% are different colours, not both yellow.
  enum class Scale { count, percent };
  void set_scale(Scale scale) { scale_ = scale; }
  void set_grid(HeatGrid grid);
  const HeatGrid& grid() const { return grid_; }
  double scale_min() const { return scale_min_; }
  double scale_max() const { return scale_max_; }
  // The colour of `fraction` (0..1) of the scale: dark blue-violet to yellow (viridis-like).
  static QColor colour_at(double fraction);
  QSize minimumSizeHint() const override { return {320, 200}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString title_;
  std::vector<QString> names_;
  HeatGrid grid_;
  Scale scale_ = Scale::count;
  double scale_min_ = 0, scale_max_ = 1;
};

}  // namespace loadlab::ui
