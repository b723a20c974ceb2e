#include "flow_view.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "node_palette.h"

namespace loadlab::ui {
namespace {

const QColor kHit(0x00, 0xC0, 0x60);
const QColor kMiss(0xF0, 0xF0, 0xF0);
const QColor kFail(0xE0, 0x30, 0x20);
const QColor kDown(0x70, 0x70, 0x70);

QPointF lerp(QPointF a, QPointF b, double t) { return a + (b - a) * t; }

// Eased so a dot leaves and arrives gently: reads as motion, not as a jump.
double ease(double t) { return t * t * (3 - 2 * t); }

}  // namespace

FlowView::FlowView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(480, 320);
  clock_.start();
}

void FlowView::set_cluster(const std::vector<QString>& names, const std::vector<QColor>& colors,
                           const QString& balancer, const QString& cache) {
  names_ = names;
  colors_ = colors;
  balancer_ = balancer;
  cache_ = cache;
  state_.reset(names.size());
  latest_ = {};
  update();
}

void FlowView::set_fonts(const QFont& font) {
  setFont(font);
  update();
}

// Once a second: scale the sampling so that about kTargetArrivals new dots appear a second
// (the count it is judged by covers the last second, so adjusting more often overshoots).
void FlowView::tune() {
  const double now = now_s();
  if (fixed_every_ == 0 && now - tuned_s_ >= 1.0) {
    tuned_s_ = now;
    const double seen = state_.arrivals_per_second(now);
    const double wanted = static_cast<double>(every_) * std::max(seen, 0.5) / kTargetArrivals;
    // Only a change of 2× or more: a steady rate keeps a steady sampling.
    if (wanted >= 2.0 * static_cast<double>(every_) || wanted <= 0.5 * static_cast<double>(every_))
      every_ = static_cast<std::uint64_t>(std::clamp(std::round(wanted), 1.0, 1e12));
  }
}

void FlowView::update_from(FlowTap* tap, const std::deque<Snapshot>& snapshots) {
  if (tap != tap_) {  // a new run: its own requests from the start
    tap_ = tap;
    state_.reset(names_.size());
  }
  if (!snapshots.empty()) {
    latest_ = snapshots.back();
    offered_rps_ = latest_.target_rate;
  }
  if (!active_ || !tap) return;
  const double now = now_s();
  state_.add(tap->take(), now);
  state_.advance(now);
  tune();
  update();
}

void FlowView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF area = QRectF(rect()).adjusted(12, 12, -12, -40);
  const QColor text = palette().color(QPalette::WindowText);
  const QColor box_fill = palette().color(QPalette::Base);
  const std::size_t n = names_.size();
  QFont label_font = font();
  QFont small_font = font();
  small_font.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.85));

  // Columns: clients, balancer, nodes, backing store.
  const double w = area.width();
  const QRectF clients(area.left(), area.center().y() - 50, w * 0.13, 100);
  const QRectF balancer(area.left() + w * 0.30, area.center().y() - 40, w * 0.14, 80);
  const double node_left = area.left() + w * 0.58, node_width = w * 0.25;
  const QRectF store(area.right() - w * 0.10, area.center().y() - 50, w * 0.10, 100);
  const double gap = n > kDotNodes ? 1 : 8;
  const double row = n ? std::min(110.0, (area.height() + gap) / static_cast<double>(n)) : 0;
  const double rows_top = area.center().y() - row * static_cast<double>(n) / 2;
  auto node_box = [&](std::size_t i) {
    return QRectF(node_left, rows_top + row * static_cast<double>(i), node_width, row - gap);
  };

  auto draw_box = [&](const QRectF& r, const QString& title, const QString& subtitle, const QColor& border) {
    p.setPen(QPen(border, 2));
    p.setBrush(box_fill);
    p.drawRoundedRect(r, 8, 8);
    p.setPen(text);
    p.setFont(label_font);
    p.drawText(r.adjusted(4, 4, -4, -r.height() / 2), Qt::AlignCenter, title);
    p.setFont(small_font);
    p.drawText(r.adjusted(4, r.height() / 2, -4, -4), Qt::AlignCenter | Qt::TextWordWrap, subtitle);
  };
  draw_box(clients, tr("clients"), offered_rps_ > 0 ? tr("%1 req/s").arg(offered_rps_, 0, 'f', 0) : tr("closed loop"),
           text);
  draw_box(balancer, tr("balancer"), balancer_, text);
  draw_box(store, tr("backing store"), tr("misses"), text);

  // Links: clients → balancer, balancer → each node (thickness ∝ the node's rate beyond 16
  // nodes, where the dots give way), node → store.
  double total_rps = 0;
  for (const NodeSample& s : latest_.nodes) total_rps += s.rps;
  QColor link = text;
  link.setAlpha(60);
  p.setPen(QPen(link, 2));
  p.drawLine(QPointF(clients.right(), clients.center().y()), QPointF(balancer.left(), balancer.center().y()));
  for (std::size_t i = 0; i < n; ++i) {
    const QRectF b = node_box(i);
    double width = 1.5;
    QColor c = link;
    if (aggregate() && i < latest_.nodes.size() && total_rps > 0) {
      width = 1 + 14 * latest_.nodes[i].rps / total_rps * static_cast<double>(std::min<std::size_t>(n, 64)) / 4;
      c = i < colors_.size() ? colors_[i] : link;
      c.setAlpha(160);
    }
    p.setPen(QPen(c, std::min(width, std::max(1.0, row - gap))));
    p.drawLine(QPointF(balancer.right(), balancer.center().y()), QPointF(b.left(), b.center().y()));
    p.setPen(QPen(link, 1));
    if (!aggregate()) p.drawLine(QPointF(b.right(), b.center().y()), QPointF(store.left(), store.center().y()));
  }

  // Nodes: colour border, queue squares, slot circles, grey when down.
  for (std::size_t i = 0; i < n; ++i) {
    const QRectF b = node_box(i);
    const NodeSample* s = i < latest_.nodes.size() ? &latest_.nodes[i] : nullptr;
    const bool down = s && !s->up;
    const QColor c = down ? kDown : (i < colors_.size() ? colors_[i] : text);
    p.setPen(QPen(c, aggregate() ? 1 : 2.5, s && !s->available && !down ? Qt::DashLine : Qt::SolidLine));
    p.setBrush(down ? kDown.darker(180) : box_fill);
    p.drawRoundedRect(b, aggregate() ? 2 : 6, aggregate() ? 2 : 6);
    if (aggregate()) continue;
    p.setPen(down ? kDown : text);
    p.setFont(label_font);
    const QString queue = s ? tr("queue %1").arg(s->queue_length) : QString();
    p.drawText(b.adjusted(8, 2, -8, 0), Qt::AlignLeft | Qt::AlignTop,
               down ? tr("%1 — down").arg(names_[i]) : QStringLiteral("%1   %2").arg(names_[i], queue));
    if (!s) continue;
    // The queue as squares (at most 40, then "+N"), the slots as circles, filled when busy.
    const double sq = std::clamp((b.height() - 30) / 3, 4.0, 9.0);
    const int per_row = std::max(1, static_cast<int>((b.width() * 0.6) / (sq + 2)));
    const auto shown = static_cast<int>(std::min<std::uint64_t>(s->queue_length, 40));
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    for (int k = 0; k < shown; ++k)
      p.drawRect(
          QRectF(b.left() + 8 + (k % per_row) * (sq + 2), b.bottom() - 6 - sq - (k / per_row) * (sq + 2), sq, sq));
    if (s->queue_length > 40) {
      p.setPen(text);
      p.setFont(small_font);
      p.drawText(QRectF(b.left() + 8, b.top() + 18, b.width() * 0.6, 16), Qt::AlignLeft,
                 tr("+%1 waiting").arg(s->queue_length - 40));
    }
    const double slot_r = std::clamp(sq * 0.8, 3.0, 8.0);
    const std::uint64_t slots = std::max<std::uint64_t>(1, std::min<std::uint64_t>(8, s->in_service + 1));
    for (std::uint64_t k = 0; k < std::min<std::uint64_t>(slots, 8); ++k) {
      const QPointF at(b.right() - 10 - static_cast<double>(k) * (2 * slot_r + 3), b.center().y() + 4);
      p.setPen(QPen(c, 1.5));
      p.setBrush(k < s->in_service ? QBrush(c) : Qt::NoBrush);
      p.drawEllipse(at, slot_r, slot_r);
    }
  }

  // Dots: each sampled request where its phase puts it.
  if (!aggregate()) {
    const double now = now_s();
    std::vector<int> queued_at(n, 0);
    const double r = std::clamp(row / 14, 3.0, 6.0);
    for (const auto& [id, d] : state_.dots()) {
      if (d.node >= n) continue;
      const QRectF b = node_box(d.node);
      const double t = ease(FlowState::progress(d, now));
      const QPointF client_pt(clients.right(), clients.center().y());
      const QPointF lb_pt(balancer.center());
      const QPointF node_in(b.left() + 4, b.center().y());
      const QPointF slot_pt(b.right() - 10, b.center().y() + 4);
      QPointF at;
      QColor color = d.node < colors_.size() ? colors_[d.node] : text;
      switch (d.phase) {
        case FlowPhase::to_node:
          at = t < 0.5 ? lerp(client_pt, lb_pt, t * 2) : lerp(lb_pt, node_in, (t - 0.5) * 2);
          break;
        case FlowPhase::queued: {
          const int k = queued_at[d.node]++;
          at = QPointF(b.left() + 10 + (k % 12) * (2 * r + 1), b.top() + 26 + (k / 12) * (2 * r + 1));
          break;
        }
        case FlowPhase::serving_hit:
          at = slot_pt;
          color = kHit;
          break;
        case FlowPhase::serving_miss: {
          const QPointF store_pt(store.left(), store.center().y());
          at = t < 0.5 ? lerp(slot_pt, store_pt, t * 2) : lerp(store_pt, slot_pt, (t - 0.5) * 2);
          color = kMiss;
          break;
        }
        case FlowPhase::returning_hit:
        case FlowPhase::returning_miss:
          at = lerp(node_in, QPointF(client_pt.x(), client_pt.y() + (b.center().y() - client_pt.y()) * 0.3), t);
          color = d.phase == FlowPhase::returning_hit ? kHit : kMiss;
          break;
        case FlowPhase::failed: {
          at = node_in;
          color = kFail;
          color.setAlphaF(1 - 0.8 * t);
          p.setPen(Qt::NoPen);
          p.setBrush(color);
          p.drawEllipse(at, r * (1 + 1.5 * t), r * (1 + 1.5 * t));
          continue;
        }
      }
      p.setPen(QPen(Qt::black, 0.8));
      p.setBrush(color);
      p.drawEllipse(at, r, r);
    }
  }

  // The key, and the sampling: what a dot stands for.
  p.setPen(text);
  p.setFont(small_font);
  const QString key =
      aggregate() ? tr("More than %1 nodes: each arrow's thickness is the node's share of the traffic.").arg(kDotNodes)
                  : tr("One dot = one real request (1 in %1 sampled%2). Green: cache hit. White: miss, fetched from "
                       "the backing store. Red: failed. Squares: waiting. Circles: slots, filled when serving.")
                        .arg(every_)
                        .arg(state_.not_drawn() ? tr(", %1 over the 400-dot limit not drawn").arg(state_.not_drawn())
                                                : QString());
  p.drawText(QRectF(rect()).adjusted(12, rect().height() - 36, -12, -4), Qt::AlignLeft | Qt::TextWordWrap, key);
}

}  // namespace loadlab::ui
