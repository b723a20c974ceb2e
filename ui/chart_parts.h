#pragma once
// What the Qt Charts views share (TimeChart, DistributionChart): one line series per node in
// its colour, rebuilt when the cluster changes, and the fonts for a projector.
#include <QChart>
#include <QColor>
#include <QFont>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QString>
#include <vector>

namespace loadlab::ui {

// Replaces `series` with one line per name, in its colour, on both axes. More than twelve
// get no legend: it would hide the chart, and the node table carries the colours.
inline void rebuild_line_series(QChart& chart, std::vector<QLineSeries*>& series, const std::vector<QString>& names,
                                const std::vector<QColor>& colors, QAbstractAxis* x, QAbstractAxis* y) {
  for (QLineSeries* s : series) {
    chart.removeSeries(s);
    delete s;
  }
  series.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto* s = new QLineSeries;
    s->setName(names[i]);
    QPen pen(i < colors.size() ? colors[i] : QColor());
    pen.setWidthF(2.5);
    s->setPen(pen);
    chart.addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    series.push_back(s);
  }
  chart.legend()->setVisible(names.size() <= 12);
}

// The title in bold, the legend and every axis in `font`.
inline void apply_chart_fonts(QChart& chart, const QFont& font) {
  QFont title = font;
  title.setBold(true);
  chart.setTitleFont(title);
  chart.legend()->setFont(font);
  for (QAbstractAxis* axis : chart.axes()) {
    axis->setLabelsFont(font);
    axis->setTitleFont(font);
  }
}

}  // namespace loadlab::ui
