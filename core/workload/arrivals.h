#pragma once
// Open-loop arrivals: the intended time of each request, whatever the nodes are doing.
//
// A process is an intensity λ(t) (requests per second at time t) and a way of spacing the
// requests in it. Writing Λ(a, b) = ∫_a^b λ for the requests expected between a and b, the
// arrival after one at `last` is at the t with Λ(last, t) = X, where X is
//   constant  1: evenly spaced, one request's worth of rate apart;
//   poisson   an Exp(1) draw: a Poisson process, non-homogeneous when λ varies (this is
//             exact, by inverting the cumulative rate, not by thinning);
//   bursty    as poisson, with λ switching between an on rate and an off rate after
//             exponentially distributed sojourns (a two-state MMPP). The first state is drawn
//             from the long-run shares, so the expected rate is the same at every t.
// λ is the rate itself, or a RateSchedule (steps or linear ramps between points, optionally
// repeating), or the bursty on/off rates.
//
// Without a schedule, constant and poisson draw exactly what the engine always has: the next
// arrival is last + 1e9 / rate, or last + rng.exponential(1e9 / rate).
//
// Time is in nanoseconds from the start of the run; the first arrival is at 0 and next_ns
// gives every later one. Pure model code: randomness only from the Rng passed in.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/field_problem.h"
#include "base/random.h"

namespace loadlab {

inline constexpr double kMaxRate = 10'000'000;  // requests per second
inline constexpr std::size_t kMaxSchedulePoints = 100'000;
inline constexpr double kMaxScheduleSeconds = 86'400;

enum class ArrivalKind { constant, poisson, bursty };
std::string to_string(ArrivalKind kind);

struct RatePoint {
  double at_s = 0;
  double rate = 0;  // requests per second from at_s on
};

// A rate that changes over the run: the first point is at 0 s, then one point per change.
// `steps` holds each rate until the next point; `linear` ramps between neighbouring points.
// After the last point the rate holds, or, with `period_s` > 0, the schedule repeats every
// period_s seconds (`linear` ramps from the last point back to the first rate at period_s),
// which is how a diurnal curve is written.
struct RateSchedule {
  enum class Shape { steps, linear };
  Shape shape = Shape::steps;
  std::vector<RatePoint> points;  // empty: no schedule
  double period_s = 0;            // 0: no repeat

  bool empty() const { return points.empty(); }
  double peak() const;  // the highest rate
};
std::string to_string(RateSchedule::Shape shape);

// Two-state Markov-modulated Poisson arrivals: `on_rate` for an exponentially distributed
// time of mean `mean_on_s`, then `off_rate` for one of mean `mean_off_s`, and so on.
struct BurstyArrivals {
  double on_rate = 5000;
  double off_rate = 500;
  double mean_on_s = 1;
  double mean_off_s = 4;

  double mean_rate() const { return (on_rate * mean_on_s + off_rate * mean_off_s) / (mean_on_s + mean_off_s); }
};

// The first bad parameter, field names relative to the scenario's "workload" object
// ("rate_schedule.points[2].at_s", "bursty.mean_on_s"). The bursty parameters are checked
// only for bursty arrivals; a schedule is refused with them.
std::optional<FieldProblem> check_arrivals(ArrivalKind kind, const RateSchedule& schedule,
                                           const BurstyArrivals& bursty);

class ArrivalProcess {
 public:
  // `rate` is the nominal rate: without a schedule, the rate; with one, the schedule's peak
  // (the schedule is scaled by rate / peak, so rate = peak runs it as written); for bursty
  // arrivals, the long-run mean (both state rates are scaled by rate / mean_rate()).
  // Throws std::invalid_argument for what check_arrivals rejects or a rate that is not > 0.
  ArrivalProcess(ArrivalKind kind, double rate, RateSchedule schedule = {}, BurstyArrivals bursty = {});

  // The intended time of the next arrival after one at `last_ns`. Calls are expected in time
  // order (last_ns does not go back before the previous call's). A caller that has drawn an
  // arrival, then called set_rate before it came, discards it and calls next_ns(last_ns)
  // again: the new time is then at or after the change (nothing arrived in between):
  // poisson and bursty draw afresh from the change on (they are memoryless); constant keeps
  // the share of the gap that had passed at the old rate and finishes it at the new one.
  double next_ns(double last_ns, Rng& rng);

  // Live control (the window's rate box, the CLI): from now_ns on, the process runs at
  // nominal rate `rate`, as if the scenario had been written with it. A homogeneous process
  // runs at `rate`; a schedule keeps its shape, scaled by rate / peak (its next steps and
  // ramps are scaled too); bursty arrivals keep the on/off ratio and sojourns, scaled so the
  // long-run mean is `rate`. Calls do not compound: set_rate(r) twice is set_rate(r) once.
  // `now_ns` before an earlier change counts as that change's time. Throws
  // std::invalid_argument unless rate is finite and > 0.
  void set_rate(double rate, double now_ns);
  double nominal_rate() const { return changes_.back().rate; }

  // The expected rate in requests per second at t (bursty: the long-run mean, as the state
  // is random), including rate changes made so far.
  double rate_at(double t_ns) const;
  // Λ(from, to) / (to − from), requests per second: for theory, e.g. the utilisation a
  // schedule gives over a window. rate_at(from) when the window is empty.
  double mean_rate_over(double from_ns, double to_ns) const;

 private:
  // λ over [start, end_ns): rate + slope · (t − start), in requests/s and requests/s per ns.
  struct Piece {
    double rate;
    double slope;
    double end_ns;
  };
  struct Change {
    double from_ns;
    double rate;  // nominal rate from from_ns on
  };
  struct Sojourn {
    double end_ns;
    bool on;
  };

  Piece schedule_piece(double t) const;
  Piece expected_piece(double t) const;
  Piece bursty_piece(double t, Rng& rng);
  std::size_t change_index(double t) const;
  template <class Base>
  double walk(double t, double target, double limit, double& done, Base&& base, double period_area) const;

  ArrivalKind kind_;
  bool homogeneous_;
  double reference_;                      // the nominal rate at which the configured intensity runs as written
  std::vector<double> times_ns_, rates_;  // the schedule
  bool linear_ = false;
  double period_ns_ = 0;
  double period_area_ = 0;  // requests in one period of the schedule as written
  BurstyArrivals bursty_;
  std::vector<Change> changes_;
  std::deque<Sojourn> sojourns_;  // bursty: consecutive states from the first still needed
};

}  // namespace loadlab
