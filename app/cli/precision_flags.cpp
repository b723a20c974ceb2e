#include "precision_flags.h"

#include <CLI/CLI.hpp>

#include "scenario/scenario.h"

namespace loadlab::cli {

void PrecisionFlags::add_to(CLI::App& app) {
  app.add_option("--precision", precision,
                 "Virtual clock: run replications (seeds) until the 95% interval of each --precision-of figure is "
                 "at most P × its estimate (0.05: ±5%), or a cap is reached");
  app.add_option("--precision-of", of,
                 "With --precision: the figures it applies to, comma-separated metric names (default "
                 "mean_us,hit_ratio)");
  app.add_option("--max-requests", max_requests,
                 "With --precision: stop adding replications once they have issued this many requests");
  app.add_option("--max-seeds", max_seeds, "With --precision: at most this many replications (default 200)");
  app.add_flag("--allow-imprecise", allow_imprecise,
               "With --precision and --assert: a figure that did not reach the precision does not fail the run");
}

std::optional<PrecisionTarget> PrecisionFlags::target() const {
  if (!precision) {
    const char* stray = of                ? "--precision-of"
                        : max_requests    ? "--max-requests"
                        : max_seeds       ? "--max-seeds"
                        : allow_imprecise ? "--allow-imprecise"
                                          : nullptr;
    if (stray) throw ScenarioError(stray, "only means something with --precision P");
    return std::nullopt;
  }
  return parse_precision_target(*precision, of, max_requests, max_seeds);
}

}  // namespace loadlab::cli
