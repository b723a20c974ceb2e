#include "share_bars.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace loadlab::ui {

ShareBars::ShareBars(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setToolTip(
      tr("Bars: requests per second each node served (last second). "
         "White marker: what theory predicts, T_i = w_i / Σw · T."));
}

void ShareBars::set_bars(std::vector<Bar> bars) {
  bars_ = std::move(bars);
  double top = 0;
  for (const Bar& b : bars_) top = std::max({top, b.rps, b.expected_rps});
  const double wanted = nice_ceiling(top * 1.1);
  // Grow at once, shrink only when the data is well below, so the bars do not jitter.
  if (wanted > scale_max_ || top < scale_max_ * 0.4) scale_max_ = wanted;
  update();
}

void ShareBars::set_hint(const QString& hint) {
  if (hint == hint_) return;
  hint_ = hint;
  update();
}

void ShareBars::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base));
  const QFontMetrics fm = fontMetrics();
  const int line = fm.height();
  QFont title_font = font();
  title_font.setBold(true);
  p.setFont(title_font);
  p.setPen(pal.color(QPalette::Text));
  p.drawText(QRect(0, 4, width(), line), Qt::AlignHCenter, tr("Requests/s per node — marker: theory"));
  p.setFont(font());

  const int left = fm.horizontalAdvance(QStringLiteral("100000")) + 12;
  // Below the plot: a row of node names, a row of shares, and the axis title naming that row.
  const int top = line + 14, bottom = height() - 3 * line - 12, right = width() - 10;
  const QRect plot(left, top, std::max(10, right - left), std::max(10, bottom - top));
  const double max = scale_max_ > 0 ? scale_max_ : 1;

  // Grid and axis labels.
  QColor grid = pal.color(QPalette::Text);
  grid.setAlpha(50);
  for (int k = 0; k <= 4; ++k) {
    const double v = max * k / 4;
    const int y = plot.bottom() - static_cast<int>(plot.height() * k / 4.0);
    p.setPen(grid);
    p.drawLine(plot.left(), y, plot.right(), y);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(0, y - line / 2, left - 6, line), Qt::AlignRight | Qt::AlignVCenter,
               QLocale().toString(v, 'f', v < 10 && v != std::floor(v) ? 1 : 0));
  }
  if (bars_.empty()) {
    p.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, hint_);
    return;
  }

  const double slot = static_cast<double>(plot.width()) / static_cast<double>(bars_.size());
  const double bar_width = std::max(2.0, slot * 0.7);
  const bool labels = slot > fm.horizontalAdvance(QStringLiteral("100.0%")) + 4;
  for (std::size_t i = 0; i < bars_.size(); ++i) {
    const Bar& b = bars_[i];
    const double x = plot.left() + slot * static_cast<double>(i) + (slot - bar_width) / 2;
    const double h = std::min(1.0, b.rps / max) * plot.height();
    p.fillRect(QRectF(x, plot.bottom() - h, bar_width, h), b.color);
    if (b.expected_rps >= 0) {
      // The theory marker: a bright bar-wide line with a notch, visible on any bar colour.
      const double y = plot.bottom() - std::min(1.0, b.expected_rps / max) * plot.height();
      p.setPen(QPen(pal.color(QPalette::Base), 5));
      p.drawLine(QPointF(x - 3, y), QPointF(x + bar_width + 3, y));
      p.setPen(QPen(pal.color(QPalette::Text), 3));
      p.drawLine(QPointF(x - 3, y), QPointF(x + bar_width + 3, y));
      QPainterPath notch;
      notch.moveTo(x - 9, y - 6);
      notch.lineTo(x - 2, y);
      notch.lineTo(x - 9, y + 6);
      notch.closeSubpath();
      p.fillPath(notch, pal.color(QPalette::Text));
    }
    p.setPen(pal.color(QPalette::Text));
    if (labels) {
      p.drawText(QRectF(x - (slot - bar_width) / 2, plot.bottom() + 4, slot, line), Qt::AlignHCenter, b.name);
      const QString share =
          b.expected_share >= 0
              ? QStringLiteral("%1% / %2%").arg(100 * b.share, 0, 'f', 1).arg(100 * b.expected_share, 0, 'f', 1)
              : QStringLiteral("%1%").arg(100 * b.share, 0, 'f', 1);
      p.drawText(QRectF(x - (slot - bar_width) / 2, plot.bottom() + 4 + line, slot, line), Qt::AlignHCenter, share);
    }
  }
  if (labels) {
    const bool theory = std::any_of(bars_.begin(), bars_.end(), [](const Bar& b) { return b.expected_share >= 0; });
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(plot.left(), plot.bottom() + 6 + 2 * line, plot.width(), line), Qt::AlignHCenter,
               theory ? tr("share of requests: measured / theory") : tr("share of requests"));
  }
}

}  // namespace loadlab::ui
