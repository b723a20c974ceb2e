#include "cli/cli_app.h"
#include "cli/plot_command.h"
#ifdef LOADLAB_CLI_PLOT
#include "sweep_plot.h"
#endif

int main(int argc, char** argv) {
#ifdef LOADLAB_CLI_PLOT
  loadlab::cli::set_plot_renderer(&loadlab::ui::render_sweep_plot);
#endif
  return loadlab::cli::main(argc, argv);
}
