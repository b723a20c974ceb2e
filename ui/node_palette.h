#pragma once
// One colour per node, the same in every chart and in the node table: the Okabe–Ito palette,
// which stays distinguishable for the common forms of colour blindness. Beyond eight nodes
// the colours repeat with a lighter shade.
#include <QColor>

namespace loadlab::ui {

QColor node_color(std::size_t node);

}  // namespace loadlab::ui
