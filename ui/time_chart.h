#pragma once
// A live line chart over time: one QChart, many series, updated the fast way (a whole point
// list per series with replace(), no animations, one setRange() per axis per tick). Our own
// small interface, so the charting library can change (Qt Charts is deprecated from Qt 6.10).
#include <QChartView>
#include <QColor>
#include <QFont>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>
#include <vector>

#include "chart_series.h"

class QGraphicsSimpleTextItem;
class QLineSeries;
class QValueAxis;

namespace loadlab::ui {

class TimeChart : public QChartView {
  Q_OBJECT
 public:
  TimeChart(const QString& title, const QString& y_title, QWidget* parent = nullptr);
  // Replaces the series (names and colours); their points start empty.
  void set_series(const std::vector<QString>& names, const std::vector<QColor>& colors);
  // One point list per series, in the order given to set_series. y_max <= 0 scales to fit;
  // the axis starts at y_min (below 0 for a difference).
  void set_points(const std::vector<QList<QPointF>>& points, double x_from, double x_to, double y_max = 0,
                  double y_min = 0);
  // Dashed horizontal reference lines (theory), one per value, all in the theme's neutral
  // theory_color() (never a node's colour), one legend entry; an empty list removes them.
  void set_references(const std::vector<double>& values, const QString& name);
  QPen reference_pen(std::size_t reference) const;
  std::size_t reference_count() const { return references_.size(); }
  const std::vector<double>& reference_values() const { return reference_values_; }
  std::size_t series_count() const { return series_.size(); }
  qsizetype point_count(std::size_t series) const;
  // The scenario's scheduled events: a dotted vertical line with its label at each, drawn
  // while it is inside the chart's time span.
  void set_marks(const std::vector<TimeMark>& marks);
  std::size_t mark_count() const { return marks_.size(); }
  QString mark_label(std::size_t mark) const;
  void set_dark(bool dark);
  void set_title(const QString& title);
  QString title() const;
  // The title in bold, the legend and the axes in `font` (larger text for a projector).
  void set_fonts(const QFont& font);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void style_references();
  void place_marks();
  struct Mark {
    TimeMark mark;
    QLineSeries* line;
    QGraphicsSimpleTextItem* label;
  };
  std::vector<Mark> marks_;
  double y_top_ = 1;
  std::vector<QLineSeries*> series_;
  std::vector<QColor> colors_;
  std::vector<QLineSeries*> references_;
  std::vector<double> reference_values_;
  bool dark_ = true;
  QString reference_name_;
  QValueAxis* x_axis_;
  QValueAxis* y_axis_;
};

}  // namespace loadlab::ui
