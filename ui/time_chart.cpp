#include "time_chart.h"

#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "chart_parts.h"
#include "node_palette.h"

namespace loadlab::ui {

TimeChart::TimeChart(const QString& title, const QString& y_title, QWidget* parent)
    : QChartView(new QChart, parent), x_axis_(new QValueAxis), y_axis_(new QValueAxis) {
  QChart* c = chart();
  c->setTitle(title);
  c->setAnimationOptions(QChart::NoAnimation);
  c->legend()->setAlignment(Qt::AlignRight);
  // Markers drawn like their series: a short solid line per node, a dashed one for theory.
  c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  c->setMargins(QMargins(4, 4, 4, 4));
  x_axis_->setTitleText(tr("seconds"));
  x_axis_->setLabelFormat("%.0f");
  x_axis_->setTickType(QValueAxis::TicksDynamic);
  x_axis_->setTickAnchor(0);
  y_axis_->setTitleText(y_title);
  y_axis_->setLabelFormat("%g");
  c->addAxis(x_axis_, Qt::AlignBottom);
  c->addAxis(y_axis_, Qt::AlignLeft);
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 200);
}

void TimeChart::set_series(const std::vector<QString>& names, const std::vector<QColor>& colors) {
  colors_ = colors;
  rebuild_line_series(*chart(), series_, names, colors, x_axis_, y_axis_);
}

void TimeChart::set_references(const std::vector<double>& values, const QString& name) {
  if (values.size() == references_.size() && name == reference_name_) {
    reference_values_ = values;  // the lines move at the next set_points; no series is rebuilt
    return;
  }
  QChart* c = chart();
  for (QLineSeries* s : references_) {
    c->removeSeries(s);
    delete s;
  }
  references_.clear();
  reference_values_ = values;
  reference_name_ = name;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto* s = new QLineSeries;
    s->setName(i == 0 ? name : QString());
    c->addSeries(s);
    s->attachAxis(x_axis_);
    s->attachAxis(y_axis_);
    references_.push_back(s);
  }
  style_references();
  // Only the first reference line gets a legend entry.
  for (std::size_t i = 1; i < references_.size(); ++i)
    for (QLegendMarker* m : c->legend()->markers(references_[i])) m->setVisible(false);
}

void TimeChart::style_references() {
  QPen pen(theory_color(dark_));
  pen.setWidthF(2);
  pen.setStyle(Qt::DashLine);
  for (QLineSeries* s : references_) s->setPen(pen);
  QPen mark_pen(theory_color(dark_));
  mark_pen.setWidthF(1.5);
  mark_pen.setStyle(Qt::DotLine);
  for (Mark& m : marks_) {
    m.line->setPen(mark_pen);
    m.label->setBrush(theory_color(dark_));
  }
}

QPen TimeChart::reference_pen(std::size_t reference) const {
  return reference < references_.size() ? references_[reference]->pen() : QPen();
}

void TimeChart::set_points(const std::vector<QList<QPointF>>& points, double x_from, double x_to, double y_max,
                           double y_min) {
  double top = 0;
  for (std::size_t i = 0; i < series_.size() && i < points.size(); ++i) {
    series_[i]->replace(points[i]);
    for (const QPointF& p : points[i])
      if (std::isfinite(p.y())) top = std::max(top, p.y());
  }
  if (y_max <= 0) {
    // Round up to 1, 2 or 5 × 10^k so the axis changes rarely.
    const double v = std::max(top * 1.1, 1e-9);
    const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
    y_max = 10 * magnitude;
    for (double m : {1.0, 2.0, 5.0})
      if (m * magnitude >= v) {
        y_max = m * magnitude;
        break;
      }
  }
  const double span = std::max(x_to, x_from + 1) - x_from;
  // Whole, evenly spaced seconds (1, 2, 5, 10, 20 ...) whatever the window's span.
  double step = 1;
  for (double s : {1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0})
    if (span / s <= 7) {
      step = s;
      break;
    }
  for (std::size_t i = 0; i < references_.size(); ++i)
    references_[i]->replace(QList<QPointF>{{x_from, reference_values_[i]}, {x_from + span, reference_values_[i]}});
  x_axis_->setTickInterval(step);
  x_axis_->setRange(x_from, x_from + span);
  y_axis_->setRange(y_min, y_max);
  y_top_ = y_max;
  place_marks();
}

void TimeChart::set_marks(const std::vector<TimeMark>& marks) {
  QChart* c = chart();
  for (Mark& m : marks_) {
    c->removeSeries(m.line);
    delete m.line;
    delete m.label;
  }
  marks_.clear();
  for (const TimeMark& t : marks) {
    auto* line = new QLineSeries;
    c->addSeries(line);
    line->attachAxis(x_axis_);
    line->attachAxis(y_axis_);
    for (QLegendMarker* m : c->legend()->markers(line)) m->setVisible(false);
    auto* label = new QGraphicsSimpleTextItem(t.label, c);
    label->setZValue(10);
    marks_.push_back({t, line, label});
  }
  style_references();
  place_marks();
}

QString TimeChart::mark_label(std::size_t mark) const {
  return mark < marks_.size() ? marks_[mark].mark.label : QString();
}

void TimeChart::place_marks() {
  const double from = x_axis_->min(), to = x_axis_->max();
  for (Mark& m : marks_) {
    const bool inside = m.mark.t_s >= from && m.mark.t_s <= to;
    m.line->replace(QList<QPointF>{{m.mark.t_s, 0}, {m.mark.t_s, y_top_}});
    m.line->setVisible(inside);
    m.label->setVisible(inside);
    // Showing a series shows its legend entry again: a mark has none.
    for (QLegendMarker* lm : chart()->legend()->markers(m.line)) lm->setVisible(false);
    if (!inside) continue;
    // Just right of the line's top, inside the plot.
    const QPointF top = chart()->mapToPosition(QPointF(m.mark.t_s, y_top_), m.line);
    m.label->setPos(top.x() + 3, top.y() + 2);
  }
}

void TimeChart::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  place_marks();  // the plot area moved: the labels follow their lines
}

qsizetype TimeChart::point_count(std::size_t series) const {
  return series < series_.size() ? series_[series]->count() : 0;
}

void TimeChart::set_dark(bool dark) {
  dark_ = dark;
  chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart()->setAnimationOptions(QChart::NoAnimation);
  // The theme resets series pens: restore the node colours and the dashed theory lines.
  for (std::size_t i = 0; i < series_.size(); ++i) {
    QPen pen(colors_[i]);
    pen.setWidthF(2.5);
    series_[i]->setPen(pen);
  }
  style_references();
}

void TimeChart::set_title(const QString& title) { chart()->setTitle(title); }
QString TimeChart::title() const { return chart()->title(); }

void TimeChart::set_fonts(const QFont& font) { apply_chart_fonts(*chart(), font); }

}  // namespace loadlab::ui
