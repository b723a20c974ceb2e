#pragma once
// A sweep drawn as curves: one per value of the `by` parameter in its node-palette colour,
// the mean over seeds with markers and its 95% band shaded, the formula dashed, the target
// as a horizontal line with where each curve crosses it in the title, and the current
// setting as a vertical line ("you are here"). Latency metrics are drawn in milliseconds.
// The same widget draws the What-if tab and `loadlab-cli plot`'s files.
#include <QChartView>
#include <QFont>
#include <optional>

#include "sweep/sweep_curves.h"

namespace loadlab::ui {

class SweepChart : public QChartView {
  Q_OBJECT
 public:
  explicit SweepChart(QWidget* parent = nullptr);

  void show_curves(const SweepCurves& curves, std::optional<double> target = std::nullopt,
                   std::optional<double> current_x = std::nullopt);
  void clear();
  void set_dark(bool dark);
  void set_fonts(const QFont& font);

  // "round-robin passes 50 ms at 3,400 req/s; ..." (empty without a target).
  QString crossings() const { return crossings_; }
  const SweepCurves& curves() const { return curves_; }
  int curve_count() const { return static_cast<int>(curves_.curves.size()); }
  std::size_t points_drawn() const;

  // PNG (or any raster format Qt writes) or SVG, by the file's suffix, at the widget's size.
  // False with the reason in `error`.
  bool save(const QString& file, QString* error);

 private:
  void redraw();

  SweepCurves curves_;
  std::optional<double> target_, current_x_;
  QString crossings_;
  QFont font_;
  bool dark_ = true;
};

}  // namespace loadlab::ui
