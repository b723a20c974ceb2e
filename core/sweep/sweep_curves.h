#pragma once
// What a sweep's chart draws, worked out from its table without any drawing: one curve per
// value of a categorical parameter (`--by balancer`), each point the mean over the seeds with
// its 95% band, the theory beside it, and where each curve crosses a target ("round-robin
// passes 50 ms at 3,400 req/s"). The window's What-if tab and `loadlab-cli plot` draw from
// this, so the two pictures of one sweep are the same picture.
#include <string>
#include <string_view>
#include <vector>

#include "sweep/sweep_table.h"

namespace loadlab {

struct CurvePoint {
  double x = 0, y = 0;
  double half = 0;  // 95% half-width; NaN where the sweep has none (one seed)
};

struct SweepCurve {
  std::string label;                 // the `by` value, or the metric's name when there is no `by`
  std::vector<CurvePoint> measured;  // in x order, points without a figure left out
  std::vector<CurvePoint> theory;    // the formula at the same x, where it has a value
};

struct SweepCurveRequest {
  std::string x, y;
  std::string by;      // empty: one curve
  std::string theory;  // a column; empty: default_theory_column(y); "none": no theory
};

struct SweepCurves {
  std::string x, y, by;
  std::string theory;  // the theory column drawn, empty when none
  std::string held;    // the other varied parameters and the value they are held at: "zipf=0.9"
  bool log_x = false;  // every x positive and spanning 20× or more: a log axis reads better
  std::vector<SweepCurve> curves;
};

// The formula that predicts a metric, where LoadLab has one: mean_us → theory_mean_us,
// hit_ratio → theory_lru_hit_ratio, in_flight_mean → littles_l (λW). Empty otherwise.
std::string default_theory_column(std::string_view metric);

// Throws std::invalid_argument naming the request's field (x, y, by, theory) and the value:
// not a parameter of the sweep (and which ones it has), a categorical x, a y or theory that
// is not a column, `by` equal to `x`.
SweepCurves build_sweep_curves(const SweepTable& table, const SweepCurveRequest& request);

// Where each curve first crosses `target`, by linear interpolation between its points.
struct TargetCrossing {
  enum class Kind { crosses, always_below, always_above } kind = Kind::always_below;
  std::string label;
  double x = 0;         // for `crosses`
  bool rising = false;  // for `crosses`: from below to above
};
std::vector<TargetCrossing> target_crossings(const SweepCurves& curves, double target);

// "round-robin passes 50 ms at 3,400 req/s; p2c at 4,100 req/s; least-connections stays below".
std::string describe_crossings(const SweepCurves& curves, double target);

// A figure with its unit as a reader wants it: `rate` 3400 → "3,400 req/s", `p99_us` 50000 →
// "50 ms", `hit_ratio` 0.9 → "0.9".
std::string format_quantity(std::string_view name, double value);

}  // namespace loadlab
