#include "sweep_plot.h"

#include <QApplication>
#include <memory>

#include "sweep_chart.h"

namespace loadlab::ui {

bool render_sweep_plot(const SweepCurves& curves, std::optional<double> target, const std::string& out, int width,
                       int height, std::string& error) {
  std::unique_ptr<QApplication> app;
  if (!QApplication::instance()) {
    // No display is needed to draw into a file; a user's DISPLAY is left alone.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "loadlab-cli";
    static char* argv[] = {name, nullptr};
    app = std::make_unique<QApplication>(argc, argv);
  }
  SweepChart chart;
  chart.setAttribute(Qt::WA_DontShowOnScreen);
  chart.set_dark(false);
  QFont font = QApplication::font();
  font.setPointSizeF(font.pointSizeF() * 1.2);
  chart.set_fonts(font);
  chart.resize(width, height);
  chart.show_curves(curves, target);
  chart.show();
  QString why;
  if (!chart.save(QString::fromStdString(out), &why)) {
    error = why.toStdString();
    return false;
  }
  return true;
}

}  // namespace loadlab::ui
