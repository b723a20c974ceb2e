#include "window_settings.h"

#include <QSettings>

namespace loadlab::ui {

WindowSettings WindowSettings::load() {
  QSettings settings;
  WindowSettings s;
  s.geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
  s.dock_state = settings.value(QStringLiteral("window/state")).toByteArray();
  s.recent_files = settings.value(QStringLiteral("recent_files")).toStringList();
  s.dark = settings.value(QStringLiteral("view/dark"), true).toBool();
  s.font_scale = settings.value(QStringLiteral("view/font_scale"), 1.0).toDouble();
  if (!(s.font_scale >= 0.6 && s.font_scale <= 3.0)) s.font_scale = 1.0;  // a hand-edited file
  while (s.recent_files.size() > kRecentFiles) s.recent_files.removeLast();
  return s;
}

void WindowSettings::save() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), geometry);
  settings.setValue(QStringLiteral("window/state"), dock_state);
  settings.setValue(QStringLiteral("recent_files"), recent_files);
  settings.setValue(QStringLiteral("view/dark"), dark);
  settings.setValue(QStringLiteral("view/font_scale"), font_scale);
}

void WindowSettings::remember(const QString& path) {
  recent_files.removeAll(path);
  recent_files.prepend(path);
  while (recent_files.size() > kRecentFiles) recent_files.removeLast();
}

}  // namespace loadlab::ui
