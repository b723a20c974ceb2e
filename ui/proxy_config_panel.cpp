#include "proxy_config_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "proxy/proxy_config_registry.h"

namespace loadlab::ui {

ProxyConfigPanel::ProxyConfigPanel(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  product_box_ = new QComboBox;
  product_box_->setObjectName(QStringLiteral("proxy_product_box"));
  for (const auto& e : proxy_config_writers().entries()) {
    product_box_->addItem(QString::fromStdString(e.name));
    product_box_->setItemData(product_box_->count() - 1, QString::fromStdString(e.summary), Qt::ToolTipRole);
  }
  best_effort_box_ = new QCheckBox(tr("Best effort"));
  best_effort_box_->setToolTip(
      tr("Write what the product cannot express as a comment (and list it below) instead of refusing"));
  save_button_ = new QPushButton(tr("Save as..."));
  row->addWidget(new QLabel(tr("Proxy")));
  row->addWidget(product_box_);
  row->addWidget(best_effort_box_);
  row->addStretch(1);
  row->addWidget(save_button_);
  v->addLayout(row);
  problem_ = new QLabel;
  problem_->setWordWrap(true);
  problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problem_->setVisible(false);
  v->addWidget(problem_);
  text_ = new QPlainTextEdit;
  text_->setReadOnly(true);
  text_->setLineWrapMode(QPlainTextEdit::NoWrap);
  text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  v->addWidget(text_, 1);

  connect(product_box_, &QComboBox::currentTextChanged, this, [this] { regenerate(); });
  connect(best_effort_box_, &QCheckBox::toggled, this, [this] { regenerate(); });
  connect(save_button_, &QPushButton::clicked, this, [this] {
    const QString suggested = product_box_->currentText() == QStringLiteral("haproxy") ? QStringLiteral("haproxy.cfg")
                              : product_box_->currentText() == QStringLiteral("envoy") ? QStringLiteral("envoy.yaml")
                                                                                       : QStringLiteral("nginx.conf");
    const QString file = QFileDialog::getSaveFileName(this, tr("Save proxy configuration"), suggested);
    if (file.isEmpty()) return;
    QString error;
    if (save(file, &error))
      Q_EMIT saved(file);
    else
      Q_EMIT save_failed(error);
  });
}

void ProxyConfigPanel::show_scenario(const Scenario& scenario) {
  scenario_ = scenario;
  have_scenario_ = true;
  regenerate();
}

void ProxyConfigPanel::set_product(const QString& name) { product_box_->setCurrentText(name); }
void ProxyConfigPanel::set_best_effort(bool best_effort) { best_effort_box_->setChecked(best_effort); }
QString ProxyConfigPanel::text() const { return text_->toPlainText(); }
QString ProxyConfigPanel::problem() const { return problem_->isVisibleTo(this) ? problem_->text() : QString(); }

void ProxyConfigPanel::regenerate() {
  if (!have_scenario_ || product_box_->currentText().isEmpty()) return;
  ProxyExportOptions options;
  options.best_effort = best_effort_box_->isChecked();
  QString problem;
  QString text;
  bool error = false;
  try {
    const ProxyConfig config =
        proxy_config_writers().make(product_box_->currentText().toStdString(), options)->write(scenario_);
    text = QString::fromStdString(config.text);
    // The notes are comments at the top of the file itself; here only how many there are.
    if (!config.notes.empty())
      problem =
          config.notes.size() == 1
              ? tr("1 note on what differs from the model: see the comments at the top.")
              : tr("%1 notes on what differs from the model: see the comments at the top.").arg(config.notes.size());
  } catch (const std::exception& e) {
    // The exporter names the setting the product cannot express: show it, and no file.
    problem = tr("%1 cannot express this scenario: %2").arg(product_box_->currentText(), QString::fromUtf8(e.what()));
    error = true;
  }
  text_->setPlainText(text);
  problem_->setText(problem);
  problem_->setStyleSheet(error ? QStringLiteral("QLabel { background: #D55E00; color: white; padding: 4px; }")
                                : QString());
  problem_->setVisible(!problem.isEmpty());
  save_button_->setEnabled(!text.isEmpty());
}

bool ProxyConfigPanel::save(const QString& file, QString* error) const {
  if (text().isEmpty()) {
    if (error) *error = problem().isEmpty() ? tr("No configuration to save.") : problem();
    return false;
  }
  QFile out(file);
  if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text().toUtf8()) < 0 || !out.flush()) {
    if (error) *error = tr("Could not write %1: %2").arg(file, out.errorString());
    return false;
  }
  return true;
}

}  // namespace loadlab::ui
