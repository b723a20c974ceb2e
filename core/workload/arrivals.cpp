#include "workload/arrivals.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace loadlab {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool in_range(double v, double low, double high) { return std::isfinite(v) && v >= low && v <= high; }

}  // namespace

std::string to_string(ArrivalKind kind) {
  switch (kind) {
    case ArrivalKind::constant:
      return "constant";
    case ArrivalKind::poisson:
      return "poisson";
    case ArrivalKind::bursty:
      return "bursty";
  }
  return "?";
}

std::string to_string(RateSchedule::Shape shape) { return shape == RateSchedule::Shape::steps ? "steps" : "linear"; }

double RateSchedule::peak() const {
  double peak = 0;
  for (const RatePoint& p : points) peak = std::max(peak, p.rate);
  return peak;
}

std::optional<FieldProblem> check_arrivals(ArrivalKind kind, const RateSchedule& schedule, const BurstyArrivals& b) {
  if (!schedule.empty()) {
    if (kind == ArrivalKind::bursty)
      return FieldProblem{"rate_schedule",
                          "not used with bursty arrivals: a schedule shapes constant or poisson arrivals"};
    const auto& points = schedule.points;
    if (points.size() > kMaxSchedulePoints)
      return FieldProblem{"rate_schedule.points",
                          fmt::format("at most {} points (got {})", kMaxSchedulePoints, points.size())};
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string at = fmt::format("rate_schedule.points[{}]", i);
      const RatePoint& p = points[i];
      if (i == 0 && p.at_s != 0)
        return FieldProblem{at + ".at_s",
                            fmt::format("the first point must be at 0 s, the start of the run (got {})", p.at_s)};
      if (!in_range(p.at_s, 0, kMaxScheduleSeconds))
        return FieldProblem{at + ".at_s",
                            fmt::format("must be a number from 0 to {} s (got {})", kMaxScheduleSeconds, p.at_s)};
      if (i > 0 && p.at_s <= points[i - 1].at_s)
        return FieldProblem{at + ".at_s", fmt::format("points must be in time order: {} s comes after {} s (got {})",
                                                      p.at_s, points[i - 1].at_s, p.at_s)};
      if (!in_range(p.rate, 0, kMaxRate))
        return FieldProblem{at + ".rate",
                            fmt::format("must be a number from 0 to {} requests/s (got {})", kMaxRate, p.rate)};
    }
    const double last_at = points.back().at_s;
    if (!std::isfinite(schedule.period_s) || schedule.period_s < 0 || schedule.period_s > kMaxScheduleSeconds ||
        (schedule.period_s > 0 && schedule.period_s <= last_at))
      return FieldProblem{"rate_schedule.period_s",
                          fmt::format("must be 0 (no repeat) or greater than the last point's at_s {} and at most {} "
                                      "(got {})",
                                      last_at, kMaxScheduleSeconds, schedule.period_s)};
    if (schedule.period_s == 0 && points.back().rate <= 0)
      return FieldProblem{
          fmt::format("rate_schedule.points[{}].rate", points.size() - 1),
          fmt::format("the last rate holds for the rest of the run, so it must be > 0 (got {})", points.back().rate)};
    if (schedule.peak() <= 0) return FieldProblem{"rate_schedule.points", "every rate is 0, so nothing would arrive"};
  }
  if (kind == ArrivalKind::bursty) {
    if (!in_range(b.on_rate, 0.001, kMaxRate))
      return FieldProblem{"bursty.on_rate",
                          fmt::format("must be a number from 0.001 to {} requests/s (got {})", kMaxRate, b.on_rate)};
    if (!in_range(b.off_rate, 0, kMaxRate))
      return FieldProblem{"bursty.off_rate",
                          fmt::format("must be a number from 0 to {} requests/s (got {})", kMaxRate, b.off_rate)};
    if (!in_range(b.mean_on_s, 0.001, kMaxScheduleSeconds))
      return FieldProblem{"bursty.mean_on_s", fmt::format("must be a number from 0.001 to {} s (got {})",
                                                          kMaxScheduleSeconds, b.mean_on_s)};
    if (!in_range(b.mean_off_s, 0.001, kMaxScheduleSeconds))
      return FieldProblem{"bursty.mean_off_s", fmt::format("must be a number from 0.001 to {} s (got {})",
                                                           kMaxScheduleSeconds, b.mean_off_s)};
  }
  return std::nullopt;
}

ArrivalProcess::ArrivalProcess(ArrivalKind kind, double rate, RateSchedule schedule, BurstyArrivals bursty)
    : kind_(kind), homogeneous_(schedule.empty() && kind != ArrivalKind::bursty), reference_(1), bursty_(bursty) {
  if (!std::isfinite(rate) || rate <= 0)
    throw std::invalid_argument(fmt::format("workload.rate: must be > 0 (got {})", rate));
  if (const auto problem = check_arrivals(kind, schedule, bursty))
    throw std::invalid_argument(fmt::format("workload.{}: {}", problem->field, problem->problem));
  if (!schedule.empty()) {
    reference_ = schedule.peak();
    linear_ = schedule.shape == RateSchedule::Shape::linear;
    period_ns_ = schedule.period_s * 1e9;
    for (const RatePoint& p : schedule.points) {
      times_ns_.push_back(p.at_s * 1e9);
      rates_.push_back(p.rate);
    }
    if (period_ns_ > 0) {
      for (std::size_t i = 0; i < rates_.size(); ++i) {
        const double end = i + 1 < rates_.size() ? times_ns_[i + 1] : period_ns_;
        const double next = i + 1 < rates_.size() ? rates_[i + 1] : rates_[0];
        period_area_ += (linear_ ? (rates_[i] + next) / 2 : rates_[i]) * (end - times_ns_[i]) / 1e9;
      }
    }
  } else if (kind == ArrivalKind::bursty) {
    reference_ = bursty.mean_rate();
  }
  changes_.push_back({-kInf, rate});
}

std::size_t ArrivalProcess::change_index(double t) const {
  const auto it =
      std::upper_bound(changes_.begin(), changes_.end(), t, [](double x, const Change& c) { return x < c.from_ns; });
  return it == changes_.begin() ? 0 : static_cast<std::size_t>(it - changes_.begin()) - 1;
}

ArrivalProcess::Piece ArrivalProcess::schedule_piece(double t) const {
  double origin = 0;  // start of the period t is in
  if (period_ns_ > 0) {
    origin = std::floor(t / period_ns_) * period_ns_;
    if (t - origin >= period_ns_) origin += period_ns_;  // t / period rounded down across a boundary
    if (t < origin) origin -= period_ns_;
  }
  const double u = t - origin;
  if (u < 0) return {rates_.front(), 0, origin};  // before the schedule (t < 0): its first rate
  const std::size_t i =
      static_cast<std::size_t>(std::upper_bound(times_ns_.begin(), times_ns_.end(), u) - times_ns_.begin()) - 1;
  const bool last = i + 1 == times_ns_.size();
  const double next_time = !last ? times_ns_[i + 1] : period_ns_ > 0 ? period_ns_ : kInf;
  const double next_rate = !last ? rates_[i + 1] : period_ns_ > 0 ? rates_[0] : rates_[i];
  const double slope = linear_ && std::isfinite(next_time) ? (next_rate - rates_[i]) / (next_time - times_ns_[i]) : 0;
  double end = origin + next_time;
  if (end <= t) end = std::nextafter(t, kInf);  // rounding at a boundary: a piece must move time on
  return {std::max(0.0, rates_[i] + slope * (u - times_ns_[i])), slope, end};
}

ArrivalProcess::Piece ArrivalProcess::expected_piece(double t) const {
  if (!times_ns_.empty()) return schedule_piece(t);
  if (kind_ == ArrivalKind::bursty) return {bursty_.mean_rate(), 0, kInf};
  return {1, 0, kInf};  // homogeneous: the nominal rate itself (reference_ is 1)
}

ArrivalProcess::Piece ArrivalProcess::bursty_piece(double t, Rng& rng) {
  auto mean_ns = [&](bool on) { return (on ? bursty_.mean_on_s : bursty_.mean_off_s) * 1e9; };
  if (sojourns_.empty()) {
    const bool on = rng.uniform() * (bursty_.mean_on_s + bursty_.mean_off_s) < bursty_.mean_on_s;
    sojourns_.push_back({rng.exponential(mean_ns(on)), on});  // memoryless: a residual sojourn is a whole one
  }
  while (sojourns_.back().end_ns <= t) {
    const bool on = !sojourns_.back().on;
    sojourns_.push_back({sojourns_.back().end_ns + rng.exponential(mean_ns(on)), on});
  }
  auto it = sojourns_.begin();
  while (it->end_ns <= t) ++it;
  return {it->on ? bursty_.on_rate : bursty_.off_rate, 0, it->end_ns};
}

// From t, adds ∫λ to `done` piece by piece until it reaches `target` (returns where) or time
// reaches `limit` (returns limit). Each piece is where λ is linear: between schedule points,
// rate changes and bursty switches. Whole periods of a repeating schedule are skipped at once.
template <class Base>
double ArrivalProcess::walk(double t, double target, double limit, double& done, Base&& base,
                            double period_area) const {
  std::size_t j = change_index(t);
  while (t < limit) {
    const double factor = changes_[j].rate / reference_;
    const bool last_change = j + 1 == changes_.size();
    const double change_end = last_change ? kInf : changes_[j + 1].from_ns;
    if (last_change && period_area > 0 && target - done > factor * period_area && limit - t > period_ns_) {
      const double periods = std::floor(std::min((target - done) / (factor * period_area), (limit - t) / period_ns_));
      if (periods >= 1) {
        t += periods * period_ns_;
        done += periods * factor * period_area;
        continue;
      }
    }
    const Piece p = base(t);
    const double end = std::min({p.end_ns, change_end, limit});
    const double a = factor * p.rate;
    const double s = factor * p.slope;
    const double d = end - t;
    const double area = std::isinf(d) ? (a > 0 ? kInf : 0) : std::max(0.0, (a + s * d / 2) * d / 1e9);
    if (done + area >= target && area > 0) {
      const double w = (target - done) * 1e9;
      // a·x + s·x²/2 = w, solved in the form that does not cancel when s is small.
      const double x = s == 0 ? w / a : 2 * w / (a + std::sqrt(std::max(0.0, a * a + 2 * s * w)));
      done = target;
      return std::min(t + x, end);
    }
    done += area;
    t = end;
    if (end == change_end) ++j;
  }
  return t;
}

double ArrivalProcess::next_ns(double last_ns, Rng& rng) {
  const Change& current = changes_.back();
  double done = 0;
  switch (kind_) {
    case ArrivalKind::constant: {
      if (homogeneous_ && last_ns >= current.from_ns) return last_ns + 1e9 / current.rate;
      const double t = walk(
          last_ns, 1, kInf, done, [this](double x) { return expected_piece(x); }, period_area_);
      return std::max(t, current.from_ns);
    }
    case ArrivalKind::poisson: {
      const double start = std::max(last_ns, current.from_ns);
      if (homogeneous_) return start + rng.exponential(1e9 / current.rate);
      return walk(
          start, rng.exponential(1), kInf, done, [this](double x) { return expected_piece(x); }, period_area_);
    }
    case ArrivalKind::bursty: {
      const double start = std::max(last_ns, current.from_ns);
      while (sojourns_.size() > 1 && sojourns_.front().end_ns <= start) sojourns_.pop_front();
      const double target = rng.exponential(1);
      return walk(
          start, target, kInf, done, [this, &rng](double x) { return bursty_piece(x, rng); }, 0);
    }
  }
  return kInf;
}

void ArrivalProcess::set_rate(double rate, double now_ns) {
  if (!std::isfinite(rate) || rate <= 0) throw std::invalid_argument(fmt::format("rate must be > 0 (got {})", rate));
  if (std::isnan(now_ns)) throw std::invalid_argument("set_rate: now_ns is NaN");
  Change& last = changes_.back();
  if (rate == last.rate) return;
  const double at = std::max(now_ns, last.from_ns);
  if (at == last.from_ns)
    last.rate = rate;
  else
    changes_.push_back({at, rate});
}

double ArrivalProcess::rate_at(double t_ns) const {
  return changes_[change_index(t_ns)].rate / reference_ * expected_piece(t_ns).rate;
}

double ArrivalProcess::mean_rate_over(double from_ns, double to_ns) const {
  if (!(to_ns > from_ns)) return rate_at(from_ns);
  double done = 0;
  walk(
      from_ns, kInf, to_ns, done, [this](double x) { return expected_piece(x); }, period_area_);
  return done / (to_ns - from_ns) * 1e9;
}

}  // namespace loadlab
