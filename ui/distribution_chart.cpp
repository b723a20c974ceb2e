#include "distribution_chart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "chart_parts.h"
#include "node_palette.h"

namespace loadlab::ui {

DistributionChart::DistributionChart(QWidget* parent)
    : QChartView(new QChart, parent),
      markers_(new QScatterSeries),
      x_axis_(new QLogValueAxis),
      y_axis_(new QValueAxis) {
  QChart* c = chart();
  c->setTitle(tr("Latency distribution per node, since the run started"));
  c->setAnimationOptions(QChart::NoAnimation);
  c->legend()->setAlignment(Qt::AlignRight);
  c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  c->setMargins(QMargins(4, 4, 4, 4));
  x_axis_->setTitleText(tr("latency, ms (log scale)"));
  x_axis_->setBase(10);
  x_axis_->setLabelFormat("%g");
  x_axis_->setMinorTickCount(0);  // a line per power of ten; minor ones crowd a projector
  y_axis_->setTitleText(tr("% answered within"));
  y_axis_->setLabelFormat("%g");
  y_axis_->setRange(0, 100);
  y_axis_->setTickCount(5);
  c->addAxis(x_axis_, Qt::AlignBottom);
  c->addAxis(y_axis_, Qt::AlignLeft);
  markers_->setName(tr("p50, p99"));
  markers_->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  markers_->setMarkerSize(11);
  c->addSeries(markers_);
  markers_->attachAxis(x_axis_);
  markers_->attachAxis(y_axis_);
  x_axis_->setRange(0.01, 100);
  style();
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 200);
  setToolTip(
      tr("For each node, the share of its requests answered within a latency: the steeper the curve, the more "
         "predictable the node; a curve that bends right at the top is a tail. Squares mark p50 and p99."));
}

void DistributionChart::set_series(const std::vector<QString>& names, const std::vector<QColor>& colors) {
  colors_ = colors;
  rebuild_line_series(*chart(), series_, names, colors, x_axis_, y_axis_);
  markers_->clear();
  style();
}

void DistributionChart::set_distributions(const std::vector<QList<QPointF>>& cdfs, const std::vector<double>& p50_ms,
                                          const std::vector<double>& p99_ms) {
  double lo = INFINITY, hi = 0;
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const QList<QPointF> points = i < cdfs.size() ? cdfs[i] : QList<QPointF>{};
    series_[i]->replace(points);
    for (const QPointF& p : points)
      if (p.x() > 0) lo = std::min(lo, p.x()), hi = std::max(hi, p.x());
  }
  QList<QPointF> marks;
  for (std::size_t i = 0; i < p50_ms.size() && i < p99_ms.size(); ++i) {
    if (std::isfinite(p50_ms[i]) && p50_ms[i] > 0) marks.append({p50_ms[i], 50});
    if (std::isfinite(p99_ms[i]) && p99_ms[i] > 0) marks.append({p99_ms[i], 99});
  }
  markers_->replace(marks);
  if (hi <= 0) return;
  // Whole powers of ten around what was measured, so the axis moves rarely.
  x_axis_->setRange(std::pow(10.0, std::floor(std::log10(std::max(lo, 1e-4)))),
                    std::pow(10.0, std::ceil(std::log10(hi * 1.0001))));
}

void DistributionChart::set_dark(bool dark) {
  dark_ = dark;
  chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart()->setAnimationOptions(QChart::NoAnimation);
  style();
}

void DistributionChart::style() {
  // The theme resets pens and brushes: node colours on the curves, the neutral theory colour
  // on the markers (they are read off the curves, not a node of their own).
  for (std::size_t i = 0; i < series_.size(); ++i) {
    QPen pen(colors_[i]);
    pen.setWidthF(2.5);
    series_[i]->setPen(pen);
  }
  markers_->setColor(theory_color(dark_));
  markers_->setBorderColor(theory_color(!dark_));
}

void DistributionChart::set_fonts(const QFont& font) { apply_chart_fonts(*chart(), font); }

qsizetype DistributionChart::point_count(std::size_t series) const {
  return series < series_.size() ? series_[series]->count() : 0;
}

QList<QPointF> DistributionChart::points(std::size_t series) const {
  return series < series_.size() ? series_[series]->points() : QList<QPointF>{};
}

qsizetype DistributionChart::marker_count() const { return markers_->count(); }

}  // namespace loadlab::ui
