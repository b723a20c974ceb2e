#include "heatmap.h"

#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace loadlab::ui {

Heatmap::Heatmap(const QString& title, const QString& unit, QWidget* parent) : QWidget(parent), title_(title) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setToolTip(
      tr("%1: one row per node, one column per interval; the colour bar gives the scale in %2").arg(title, unit));
}

void Heatmap::set_row_names(const std::vector<QString>& names) {
  names_ = names;
  update();
}

void Heatmap::set_grid(HeatGrid grid) {
  grid_ = std::move(grid);
  if (scale_ == Scale::percent) {
    scale_max_ = 100;
    scale_min_ = std::clamp(std::floor(grid_.quantile(0.01) / 10) * 10, 0.0, 90.0);
  } else {
    // Grow at once, shrink only when the data is well below, so colours do not flicker.
    const double top = grid_.quantile(0.99);
    const double wanted = nice_ceiling(top * 1.05);
    if (wanted > scale_max_ || top < scale_max_ * 0.4) scale_max_ = wanted;
    scale_min_ = 0;
  }
  update();
}

QColor Heatmap::colour_at(double fraction) {
  // Anchors along the viridis colour map: even steps in lightness, readable when printed in
  // grey and for the common colour blindnesses.
  static const QColor anchors[] = {QColor(0x44, 0x01, 0x54), QColor(0x3b, 0x52, 0x8b), QColor(0x21, 0x91, 0x8c),
                                   QColor(0x5e, 0xc9, 0x62), QColor(0xfd, 0xe7, 0x25)};
  constexpr int kLast = static_cast<int>(std::size(anchors)) - 1;
  const double f = std::clamp(fraction, 0.0, 1.0) * kLast;
  const int k = std::min(static_cast<int>(f), kLast - 1);
  const double t = f - k;
  const QColor& a = anchors[k];
  const QColor& b = anchors[k + 1];
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

void Heatmap::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base));
  const QFontMetrics fm = fontMetrics();
  const int line = fm.height();
  QFont title_font = font();
  title_font.setBold(true);
  p.setFont(title_font);
  p.setPen(pal.color(QPalette::Text));
  p.drawText(QRect(0, 4, width(), line), Qt::AlignHCenter, title_);
  p.setFont(font());

  int name_width = fm.horizontalAdvance(QStringLiteral("node"));
  for (const QString& n : names_) name_width = std::max(name_width, fm.horizontalAdvance(n));
  const int bar_width = 14, bar_labels = fm.horizontalAdvance(QStringLiteral("10000")) + 6;
  const int left = name_width + 10, top = line + 12, bottom = height() - 2 * line - 10;
  const int right = width() - bar_width - bar_labels - 16;
  const QRect plot(left, top, std::max(10, right - left), std::max(10, bottom - top));

  // The grid as an image, one pixel per cell, scaled up without smoothing: cells stay sharp.
  if (grid_.rows > 0 && grid_.columns > 0) {
    QImage image(static_cast<int>(grid_.columns), static_cast<int>(grid_.rows), QImage::Format_RGB32);
    const QRgb empty = pal.color(QPalette::Base).rgb();
    for (std::size_t r = 0; r < grid_.rows; ++r) {
      auto* row = reinterpret_cast<QRgb*>(image.scanLine(static_cast<int>(r)));
      for (std::size_t c = 0; c < grid_.columns; ++c) {
        const double v = grid_.at(r, c);
        row[c] = std::isfinite(v) ? colour_at((v - scale_min_) / (scale_max_ - scale_min_)).rgb() : empty;
      }
    }
    // The columns cover their own time span on the same axis as the line charts.
    const double span = std::max(grid_.x_to - grid_.x_from, 1e-9);
    const auto x_of = [&](double t) { return plot.left() + plot.width() * (t - grid_.x_from) / span; };
    const double x0 = std::max<double>(plot.left(), x_of(grid_.data_from));
    const double x1 = std::min<double>(plot.left() + plot.width(), x_of(grid_.data_to));
    p.drawImage(QRectF(x0, plot.top(), std::max(1.0, x1 - x0), plot.height()), image);
  }
  p.setPen(pal.color(QPalette::Mid));
  p.drawRect(plot.adjusted(0, 0, -1, -1));

  // Node names, as many as fit without overlapping.
  p.setPen(pal.color(QPalette::Text));
  if (grid_.rows > 0) {
    const double row_h = static_cast<double>(plot.height()) / static_cast<double>(grid_.rows);
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(line / row_h)));
    for (std::size_t r = 0; r < grid_.rows && r < names_.size(); r += every) {
      const double y = plot.top() + row_h * (static_cast<double>(r) + 0.5);
      p.drawText(QRectF(0, y - line / 2.0, left - 6, line), Qt::AlignRight | Qt::AlignVCenter, names_[r]);
    }
  }
  // Time axis: whole seconds at an even step, as the line charts have them.
  const double span = std::max(grid_.x_to - grid_.x_from, 1.0);
  double step = 600;
  for (double s : {1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0})
    if (span / s <= 7) {
      step = s;
      break;
    }
  for (double t = std::ceil(grid_.x_from / step) * step; t <= grid_.x_from + span + 1e-9; t += step) {
    const double x = plot.left() + plot.width() * (t - grid_.x_from) / span;
    p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
    p.drawText(QRectF(x - 40, plot.bottom() + 5, 80, line), Qt::AlignHCenter, QString::number(t, 'f', 0));
  }
  p.drawText(QRect(plot.left(), plot.bottom() + 6 + line, plot.width(), line), Qt::AlignHCenter, tr("seconds"));

  // The colour bar, with its scale.
  const QRect bar(plot.right() + 10, plot.top(), bar_width, plot.height());
  for (int y = 0; y < bar.height(); ++y)
    p.fillRect(QRect(bar.left(), bar.bottom() - y, bar.width(), 1), colour_at(static_cast<double>(y) / bar.height()));
  p.setPen(pal.color(QPalette::Text));
  const auto label = [&](double v) { return QString::number(v, 'g', 4); };
  p.drawText(QRect(bar.right() + 4, bar.top() - line / 2, bar_labels, line), Qt::AlignLeft | Qt::AlignVCenter,
             label(scale_max_));
  p.drawText(QRect(bar.right() + 4, bar.center().y() - line / 2, bar_labels, line), Qt::AlignLeft | Qt::AlignVCenter,
             label((scale_min_ + scale_max_) / 2));
  p.drawText(QRect(bar.right() + 4, bar.bottom() - line / 2, bar_labels, line), Qt::AlignLeft | Qt::AlignVCenter,
             label(scale_min_));
}

}  // namespace loadlab::ui
