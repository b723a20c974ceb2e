#pragma once
// Dark and light themes: Qt 6.4 has no colour-scheme API, so the Fusion style with our own
// palette, and the matching Qt Charts theme.
class QApplication;

namespace loadlab::ui {

enum class Theme { dark, light };
void apply_theme(QApplication& app, Theme theme);

}  // namespace loadlab::ui
