#pragma once
// Per-node request rate as bars, with theory's prediction drawn on each bar as a marker:
// the expected rate T_i = share_i · T, where T is the measured total. Painted directly
// (one paint per tick, any node count) so theory and measurement sit on the same bar.
#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

#include "chart_series.h"

namespace loadlab::ui {

class ShareBars : public QWidget {
  Q_OBJECT
 public:
  using Bar = ShareBar;
  explicit ShareBars(QWidget* parent = nullptr);
  void set_bars(std::vector<Bar> bars);
  const std::vector<Bar>& bars() const { return bars_; }
  // Drawn over an empty plot (no bars yet); the window clears it while a run is going.
  void set_hint(const QString& hint);
  const QString& hint() const { return hint_; }
  QSize minimumSizeHint() const override { return {320, 220}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::vector<Bar> bars_;
  QString hint_;
  double scale_max_ = 0;  // eases down so the axis does not jump every tick
};

}  // namespace loadlab::ui
