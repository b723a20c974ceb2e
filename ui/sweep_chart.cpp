#include "sweep_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QFileInfo>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QPen>
#include <QPixmap>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "chart_parts.h"
#include "node_palette.h"
#include "sweep/run_metrics.h"

namespace loadlab::ui {
namespace {

bool is_latency(const std::string& metric) { return metric.size() > 3 && metric.ends_with("_us"); }

// The metric's own description as the axis title, in the unit the chart draws it in.
QString metric_title(const std::string& metric) {
  const std::size_t m = run_metric_index(metric);
  if (m >= kRunMetricCount) return QString::fromStdString(metric);
  QString summary = QString::fromUtf8(kRunMetrics[m].summary.data(), static_cast<int>(kRunMetrics[m].summary.size()));
  if (is_latency(metric)) summary.replace(QStringLiteral(", µs"), QStringLiteral(", ms"));
  if (summary.size() > 60) return QString::fromStdString(metric);
  return summary;
}

}  // namespace

SweepChart::SweepChart(QWidget* parent) : QChartView(new QChart, parent) {
  chart()->setAnimationOptions(QChart::NoAnimation);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  chart()->setMargins(QMargins(4, 4, 4, 4));
  chart()->setTheme(QChart::ChartThemeDark);
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(420, 300);
  clear();
}

void SweepChart::clear() {
  curves_ = {};
  target_.reset();
  current_x_.reset();
  crossings_.clear();
  redraw();
}

void SweepChart::show_curves(const SweepCurves& curves, std::optional<double> target, std::optional<double> current_x) {
  curves_ = curves;
  target_ = target;
  current_x_ = current_x;
  crossings_ = target ? QString::fromStdString(describe_crossings(curves, *target)) : QString();
  redraw();
}

std::size_t SweepChart::points_drawn() const {
  std::size_t n = 0;
  for (const SweepCurve& c : curves_.curves) n += c.measured.size();
  return n;
}

void SweepChart::set_dark(bool dark) {
  dark_ = dark;
  chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart()->setAnimationOptions(QChart::NoAnimation);
  redraw();  // the theme resets the pens
}

void SweepChart::set_fonts(const QFont& font) {
  font_ = font;
  redraw();
}

void SweepChart::redraw() {
  QChart* c = chart();
  c->removeAllSeries();
  for (QAbstractAxis* a : c->axes()) {
    c->removeAxis(a);
    delete a;
  }
  const double y_scale = is_latency(curves_.y) ? 1e-3 : 1.0;  // µs → ms

  if (curves_.curves.empty()) {
    c->setTitle(tr("What-if: choose a parameter and its values, then Run"));
    return;
  }
  QString title =
      tr("<b>%1</b> against <b>%2</b>").arg(QString::fromStdString(curves_.y), QString::fromStdString(curves_.x));
  if (!curves_.by.empty()) title += tr(", one curve per %1").arg(QString::fromStdString(curves_.by));
  if (!curves_.held.empty()) title += tr(" (%1)").arg(QString::fromStdString(curves_.held));
  // One crossing a line: the sentence would not fit the chart's width.
  for (const QString& part : crossings_.split(QStringLiteral("; "), Qt::SkipEmptyParts))
    title += QStringLiteral("<br>") + part.toHtmlEscaped();
  c->setTitle(title);

  QAbstractAxis* x_axis = nullptr;
  if (curves_.log_x) {
    auto* log = new QLogValueAxis;
    log->setBase(10);
    log->setLabelFormat("%g");
    log->setMinorTickCount(-1);
    x_axis = log;
  } else {
    auto* lin = new QValueAxis;
    lin->setLabelFormat("%g");
    x_axis = lin;
  }
  x_axis->setTitleText(QString::fromStdString(curves_.x));
  auto* y_axis = new QValueAxis;
  y_axis->setTitleText(metric_title(curves_.y));
  y_axis->setLabelFormat("%g");
  c->addAxis(x_axis, Qt::AlignBottom);
  c->addAxis(y_axis, Qt::AlignLeft);

  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  auto extend = [&](double x, double y) {
    x_lo = std::min(x_lo, x);
    x_hi = std::max(x_hi, x);
    if (std::isfinite(y)) {
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  };
  auto attach = [&](QAbstractSeries* s) {
    c->addSeries(s);
    s->attachAxis(x_axis);
    s->attachAxis(y_axis);
  };
  auto hide_marker = [&](QAbstractSeries* s) {
    for (QLegendMarker* m : c->legend()->markers(s)) m->setVisible(false);
  };

  // The formula: one dashed line when every curve has the same one (M/M/1 does not depend
  // on the balancer's name), else one per curve in its colour.
  bool one_theory = true;
  for (const SweepCurve& curve : curves_.curves) {
    const auto& a = curve.theory;
    const auto& b = curves_.curves.front().theory;
    one_theory = one_theory && a.size() == b.size() &&
                 std::equal(a.begin(), a.end(), b.begin(), [](const CurvePoint& p, const CurvePoint& q) {
                   return p.x == q.x && std::fabs(p.y - q.y) <= 1e-9 * std::max(1.0, std::fabs(p.y));
                 });
  }

  for (std::size_t i = 0; i < curves_.curves.size(); ++i) {
    const SweepCurve& curve = curves_.curves[i];
    const QColor color = node_color(i);
    // The band first, so the line is drawn over it.
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    bool band = false;
    for (const CurvePoint& p : curve.measured) {
      const double h = std::isfinite(p.half) ? p.half : 0;
      band = band || h > 0;
      upper->append(p.x, (p.y + h) * y_scale);
      lower->append(p.x, (p.y - h) * y_scale);
      extend(p.x, (p.y + h) * y_scale);
      extend(p.x, (p.y - h) * y_scale);
    }
    if (band && curve.measured.size() > 1) {
      auto* area = new QAreaSeries(upper, lower);
      QColor fill = color;
      fill.setAlpha(60);
      area->setBrush(fill);
      area->setPen(Qt::NoPen);
      area->setName(tr("%1 95% band").arg(QString::fromStdString(curve.label)));
      attach(area);
      hide_marker(area);
    } else {
      delete upper;
      delete lower;
    }
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(curve.label));
    QPen pen(color);
    pen.setWidthF(3);
    line->setPen(pen);
    line->setPointsVisible(true);
    line->setMarkerSize(7);
    for (const CurvePoint& p : curve.measured) line->append(p.x, p.y * y_scale);
    attach(line);

    if (!curve.theory.empty() && (!one_theory || i == 0)) {
      auto* theory = new QLineSeries;
      theory->setName(one_theory ? tr("theory (%1)").arg(QString::fromStdString(curves_.theory))
                                 : tr("%1 theory").arg(QString::fromStdString(curve.label)));
      QPen dashed(one_theory ? theory_color(dark_) : color);
      dashed.setWidthF(2);
      dashed.setStyle(Qt::DashLine);
      theory->setPen(dashed);
      for (const CurvePoint& p : curve.theory) {
        theory->append(p.x, p.y * y_scale);
        extend(p.x, p.y * y_scale);
      }
      attach(theory);
    }
  }
  if (!std::isfinite(x_lo)) x_lo = 0, x_hi = 1;
  if (!std::isfinite(y_lo)) y_lo = 0, y_hi = 1;
  if (target_) y_hi = std::max(y_hi, *target_ * y_scale), y_lo = std::min(y_lo, *target_ * y_scale);
  y_lo = std::min(0.0, y_lo);  // a quantity from zero: a curve's height reads as its size
  // Past saturation a latency grows by orders of magnitude and would flatten the part of the
  // curve the target is about: with a target, the axis stops at 4× it (the lines run off the top).
  if (target_ && *target_ > 0) y_hi = std::min(y_hi, 4 * *target_ * y_scale);
  y_hi = y_hi > y_lo ? y_hi * 1.05 : y_lo + 1;
  if (x_hi <= x_lo) x_hi = x_lo + 1;

  x_axis->setRange(x_lo, x_hi);
  y_axis->setRange(y_lo, y_hi);
  if (!curves_.log_x) static_cast<QValueAxis*>(x_axis)->applyNiceNumbers();
  y_axis->applyNiceNumbers();
  // Reference lines span the whole plot, after the axes have chosen their nice ends.
  const double x_from = curves_.log_x ? x_lo : static_cast<QValueAxis*>(x_axis)->min();
  const double x_to = curves_.log_x ? x_hi : static_cast<QValueAxis*>(x_axis)->max();
  if (target_) {
    auto* line = new QLineSeries;
    line->setName(tr("target %1").arg(QString::fromStdString(format_quantity(curves_.y, *target_))));
    QPen pen(QColor(0xD5, 0x5E, 0x00));
    pen.setWidthF(2);
    pen.setStyle(Qt::DashDotLine);
    line->setPen(pen);
    line->append(x_from, *target_ * y_scale);
    line->append(x_to, *target_ * y_scale);
    attach(line);
  }
  if (current_x_ && *current_x_ >= x_lo && *current_x_ <= x_hi) {
    auto* line = new QLineSeries;
    line->setName(tr("now: %1").arg(QString::fromStdString(format_quantity(curves_.x, *current_x_))));
    QPen pen(theory_color(dark_));
    pen.setWidthF(1.5);
    pen.setStyle(Qt::DotLine);
    line->setPen(pen);
    line->append(*current_x_, y_axis->min());
    line->append(*current_x_, y_axis->max());
    attach(line);
  }
  if (font_ != QFont()) apply_chart_fonts(*c, font_);
}

bool SweepChart::save(const QString& file, QString* error) {
  if (QFileInfo(file).suffix().compare(QStringLiteral("svg"), Qt::CaseInsensitive) == 0) {
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(size());
    svg.setViewBox(rect());
    svg.setTitle(chart()->title());
    QPainter painter;
    if (!painter.begin(&svg)) {
      if (error) *error = tr("cannot write '%1'").arg(file);
      return false;
    }
    render(&painter);
    painter.end();
    return true;
  }
  if (!grab().save(file)) {
    if (error) *error = tr("cannot write '%1' (a .png, .jpg or .svg file)").arg(file);
    return false;
  }
  return true;
}

}  // namespace loadlab::ui
