#pragma once
// The scenario as a real proxy's configuration (nginx, HAProxy, Envoy), beside the model it
// came from: regenerated as the user drags weights or switches the balancer, with what the
// product cannot express shown as the exporter's own error (or, with "best effort", written
// as a comment and listed), and saved to a file from here.
#include <QWidget>

#include "scenario/scenario.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace loadlab::ui {

class ProxyConfigPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ProxyConfigPanel(QWidget* parent = nullptr);
  // Regenerates the configuration for this scenario.
  void show_scenario(const Scenario& scenario);
  void set_product(const QString& name);  // nginx, haproxy or envoy
  void set_best_effort(bool best_effort);
  // The configuration shown; empty when the product cannot express the scenario.
  QString text() const;
  // The exporter's error, or its notes; empty when there is nothing to say.
  QString problem() const;
  // Writes the configuration shown to `file`; false (and the reason in *error) if there is
  // none or the file cannot be written.
  bool save(const QString& file, QString* error) const;

 Q_SIGNALS:
  void saved(const QString& file);
  void save_failed(const QString& why);

 private:
  void regenerate();
  Scenario scenario_;
  bool have_scenario_ = false;
  QComboBox* product_box_;
  QCheckBox* best_effort_box_;
  QPlainTextEdit* text_;
  QLabel* problem_;
  QPushButton* save_button_;
};

}  // namespace loadlab::ui
