#include "node_palette.h"

#include <array>

namespace loadlab::ui {

QColor node_color(std::size_t node) {
  // Okabe & Ito (2008) without black (it disappears on the dark theme) and without their grey
  // (neutral is the theory lines' colour); a purple (Tableau's, hue 271°, a hue the seven leave
  // free) in their place.
  static constexpr std::array<QRgb, 8> kColors{0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442,
                                               0x0072B2, 0xD55E00, 0xCC79A7, 0x9467BD};
  const QColor base = QColor::fromRgb(kColors[node % kColors.size()]);
  const std::size_t round = node / kColors.size();
  if (round == 0) return base;
  QColor shade = base.lighter(100 + static_cast<int>(25 * (round % 4)));
  // lighter() takes saturation away once the value reaches 255 (bright yellow would turn
  // white); keep every shade visibly coloured, so none is mistaken for a theory line.
  if (shade.hsvSaturation() < kMinNodeSaturation) shade.setHsv(shade.hsvHue(), kMinNodeSaturation, shade.value());
  return shade;
}

QColor theory_color(bool dark) { return dark ? QColor(0xFFFFFF) : QColor(0x202020); }

}  // namespace loadlab::ui
