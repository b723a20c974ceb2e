#pragma once
// One colour per node, the same in every chart and in the node table: the Okabe–Ito palette,
// which stays distinguishable for the common forms of colour blindness. Beyond eight nodes
// the colours repeat with a lighter shade.
//
// Theory (model lines) is drawn dashed in a neutral colour, and no node colour is neutral:
// every node colour is saturated, so a model line never shares a node's colour.
#include <QColor>

namespace loadlab::ui {

inline constexpr int kMinNodeSaturation = 80;  // of 255; theory_color() has 0
QColor node_color(std::size_t node);
// Model and reference lines: white on the dark theme, near-black on the light one.
QColor theory_color(bool dark);

}  // namespace loadlab::ui
