#pragma once
// What the window remembers between sessions (QSettings): geometry and dock layout, recently
// opened scenarios, the theme and the text size.
#include <QByteArray>
#include <QStringList>

namespace loadlab::ui {

struct WindowSettings {
  static constexpr qsizetype kRecentFiles = 8;
  QByteArray geometry, dock_state;
  QStringList recent_files;
  bool dark = true;
  double font_scale = 1.0;

  static WindowSettings load();
  void save() const;
  // Puts `path` first in the recent files (once), keeping at most kRecentFiles.
  void remember(const QString& path);
};

}  // namespace loadlab::ui
