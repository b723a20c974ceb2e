#include "node_palette.h"

#include <array>

namespace loadlab::ui {

QColor node_color(std::size_t node) {
  // Okabe & Ito (2008), without black (it disappears on the dark theme); grey in its place.
  static constexpr std::array<QRgb, 8> kColors{0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442,
                                               0x0072B2, 0xD55E00, 0xCC79A7, 0x999999};
  const QColor base = QColor::fromRgb(kColors[node % kColors.size()]);
  const std::size_t round = node / kColors.size();
  return round == 0 ? base : base.lighter(100 + static_cast<int>(25 * (round % 4)));
}

}  // namespace loadlab::ui
