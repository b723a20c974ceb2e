#include "workload/service_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "base/input_file.h"

namespace loadlab {
namespace {

// Uniform in (0, 1): the inverse distribution functions below are infinite at 0 or 1.
double open_uniform(Rng& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; }

// expm1(x)/x, continuous at 0.
double expm1_over_x(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0); }

// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error 1.2e-9), then one
// Halley step on erfc, which brings it to full double precision. The upper half is mirrored
// onto the lower, where erfc(−x/√2)/2 − p does not cancel.
double normal_quantile(double p) {
  if (p > 0.5) return -normal_quantile(1 - p);
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

// Bounded Pareto on [L, H] with tail index alpha, written with ℓ = ln(H/L):
// E[X^k] = alpha L^k ℓ · expm1((k − alpha)ℓ)/((k − alpha)ℓ) / (1 − e^(−alpha ℓ)).
double bounded_pareto_moment(double k, double alpha, double low, double log_ratio) {
  return alpha * std::pow(low, k) * log_ratio * expm1_over_x((k - alpha) * log_ratio) / -std::expm1(-alpha * log_ratio);
}

// The lower end L of a bounded Pareto with mean 1, upper end `high` > 1 and tail index
// alpha: the mean grows with L, so bisect on ℓ = ln(high/L).
double bounded_pareto_low(double alpha, double high) {
  auto mean = [&](double log_ratio) { return bounded_pareto_moment(1, alpha, high * std::exp(-log_ratio), log_ratio); };
  double inside = std::log(high);  // L = 1: the mean is above 1
  double outside = 2 * inside;
  while (mean(outside) > 1 && outside < 700) outside *= 2;
  for (int i = 0; i < 200 && outside - inside > 1e-15 * outside; ++i) {
    const double mid = (inside + outside) / 2;
    (mean(mid) > 1 ? inside : outside) = mid;
  }
  return high * std::exp(-(inside + outside) / 2);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool looks_numeric(std::string_view s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '-' || s.front() == '+' ||
                        s.front() == '.');
}

}  // namespace

std::string to_string(ServiceModel::Distribution distribution) {
  for (const auto& [name, value] : kServiceDistributions)
    if (value == distribution) return name;
  return "unknown";
}

EmpiricalLatencies EmpiricalLatencies::load(const std::filesystem::path& file) {
  if (const auto problem = unreadable_file_problem(file)) throw std::invalid_argument("latency file " + *problem);
  std::error_code error;
  const std::uintmax_t bytes = std::filesystem::file_size(file, error);
  if (!error && bytes > kMaxLatencyFileBytes)
    throw std::invalid_argument(fmt::format("'{}' is {} bytes; at most {} (use a value_us,count histogram)",
                                            file.string(), bytes, kMaxLatencyFileBytes));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("cannot open '{}'", file.string()));
  return parse(in, file.string());
}

EmpiricalLatencies EmpiricalLatencies::parse(std::istream& in, const std::string& name) {
  std::vector<std::pair<double, std::uint64_t>> measured;
  std::size_t columns = 0;  // set by the first data line
  std::size_t line_number = 0;
  bool first = true;
  auto bad = [&](const std::string& why) {
    return std::invalid_argument(fmt::format("'{}' line {}: {}", name, line_number, why));
  };
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line_number > kMaxLatencyFileLines) throw bad(fmt::format("more than {} lines", kMaxLatencyFileLines));
    const std::string_view text = trim(line);
    if (text.empty()) continue;
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
      const std::size_t comma = text.find(',', start);
      fields.push_back(
          trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    const bool header = first && !looks_numeric(fields.front());
    first = false;
    if (header) continue;
    if (fields.size() > 2)
      throw bad(fmt::format("expected value_us or value_us,count (got {} columns)", fields.size()));
    if (columns == 0) columns = fields.size();
    if (fields.size() != columns)
      throw bad(fmt::format("expected {} column{} like the lines before (got {})", columns, columns == 1 ? "" : "s",
                            fields.size()));
    double value = 0;
    const std::string_view v = fields[0];
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size()) throw bad(fmt::format("'{}' is not a number", v));
    if (!std::isfinite(value)) throw bad(fmt::format("'{}' is not a finite number", v));
    if (value < 0) throw bad(fmt::format("a latency cannot be negative (got {})", v));
    if (value > kMaxServiceUs) throw bad(fmt::format("at most {} microseconds (got {})", kMaxServiceUs, v));
    std::uint64_t count = 1;
    if (columns == 2) {
      const std::string_view c = fields[1];
      const auto [cend, cec] = std::from_chars(c.data(), c.data() + c.size(), count);
      if (c.empty() || cec != std::errc() || cend != c.data() + c.size())
        throw bad(fmt::format("count '{}' is not a whole number >= 0", c));
      if (count > (1ULL << 53)) throw bad(fmt::format("count at most 2^53 (got {})", c));
    }
    if (count > 0) measured.emplace_back(value, count);
  }
  if (in.bad()) throw std::invalid_argument(fmt::format("'{}': read error", name));
  if (measured.empty())
    throw std::invalid_argument(
        fmt::format("'{}': no latencies (expected one value_us per line, or value_us,count)", name));

  std::sort(measured.begin(), measured.end());
  EmpiricalLatencies e;
  std::uint64_t total = 0;
  long double sum = 0, sum_squares = 0;
  for (const auto& [value, count] : measured) {
    if (total > (1ULL << 62) - count)
      throw std::invalid_argument(fmt::format("'{}': counts add up to more than 2^62", name));
    total += count;
    sum += static_cast<long double>(value) * count;
    sum_squares += static_cast<long double>(value) * value * count;
    if (!e.values_.empty() && e.values_.back() == value) {
      e.cumulative_.back() = total;
    } else {
      e.values_.push_back(value);
      e.cumulative_.push_back(total);
    }
  }
  e.mean_ = static_cast<double>(sum / total);
  e.second_moment_ = static_cast<double>(sum_squares / total);
  return e;
}

double EmpiricalLatencies::sample(Rng& rng) const {
  const std::uint64_t k = rng.below(count());
  return values_[static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), k) -
                                          cumulative_.begin())];
}

double EmpiricalLatencies::quantile(double q) const {
  // The smallest value whose cumulative count reaches q·N.
  const double target = std::ceil(q * static_cast<double>(count()));
  const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), target,
                                   [](std::uint64_t c, double t) { return static_cast<double>(c) < t; });
  return it == cumulative_.end() ? values_.back() : values_[static_cast<std::size_t>(it - cumulative_.begin())];
}

std::optional<FieldProblem> check_service_model(const ServiceModel& m) {
  using D = ServiceModel::Distribution;
  auto range = [](double v, double low, double high) { return std::isfinite(v) && v >= low && v <= high; };
  if (!range(m.hit_us, 0, kMaxServiceUs))
    return FieldProblem{"hit_us", fmt::format("must be a number from 0 to {} (got {})", kMaxServiceUs, m.hit_us)};
  if (!range(m.miss_us, 0, kMaxServiceUs))
    return FieldProblem{"miss_us", fmt::format("must be a number from 0 to {} (got {})", kMaxServiceUs, m.miss_us)};
  const bool shaped = m.distribution != D::fixed && m.distribution != D::exponential && m.distribution != D::empirical;
  if (shaped && m.miss_us <= 0)
    return FieldProblem{"miss_us",
                        fmt::format("must be > 0 for a {} service time, whose shape is scaled to it (got {})",
                                    to_string(m.distribution), m.miss_us)};
  switch (m.distribution) {
    case D::fixed:
    case D::exponential:
      break;
    case D::lognormal:
      if (!std::isfinite(m.p99_us) || m.p99_us <= m.miss_us)
        return FieldProblem{"p99_us",
                            fmt::format("must be greater than the mean miss_us {} (got {})", m.miss_us, m.p99_us)};
      if (m.p99_us > kMaxLognormalP99Ratio * m.miss_us)
        return FieldProblem{"p99_us",
                            fmt::format("a lognormal's p99 is at most {:.4f} times its mean miss_us {}, i.e. {:.6g} "
                                        "(got {}); for a longer tail use pareto",
                                        kMaxLognormalP99Ratio, m.miss_us, kMaxLognormalP99Ratio * m.miss_us, m.p99_us)};
      break;
    case D::pareto:
      if (!range(m.alpha, 0, 100) || m.alpha <= 1)
        return FieldProblem{"alpha", fmt::format("must be > 1 and <= 100 for a Pareto service time with a finite mean "
                                                 "(got {}); bounded-pareto takes any alpha from 0.1",
                                                 m.alpha)};
      break;
    case D::bounded_pareto:
      if (!range(m.alpha, 0.1, 100))
        return FieldProblem{"alpha", fmt::format("must be a number from 0.1 to 100 (got {})", m.alpha)};
      if (!std::isfinite(m.max_us) || m.max_us <= m.miss_us)
        return FieldProblem{"max_us",
                            fmt::format("must be greater than the mean miss_us {} (got {})", m.miss_us, m.max_us)};
      if (m.max_us > kMaxServiceUs || m.max_us > 1e6 * m.miss_us)
        return FieldProblem{"max_us", fmt::format("at most {} and at most 1000000 times the mean miss_us (got {})",
                                                  kMaxServiceUs, m.max_us)};
      break;
    case D::bimodal:
      if (!range(m.slow_probability, 0, 1))
        return FieldProblem{"slow_probability",
                            fmt::format("must be a number from 0 to 1 (got {})", m.slow_probability)};
      if (!range(m.slow_factor, 1, 1e6))
        return FieldProblem{"slow_factor", fmt::format("must be a number from 1 to 1000000 (got {})", m.slow_factor)};
      break;
    case D::empirical:
      if (!m.latencies)
        return FieldProblem{"file",
                            "no latencies loaded: an empirical service time needs a file of measured latencies"};
      if (m.latencies->mean() <= 0)
        return FieldProblem{"file", fmt::format("every latency in '{}' is 0, so there is no shape to scale", m.file)};
      break;
  }
  return std::nullopt;
}

ServiceTime::ServiceTime(const ServiceModel& m)
    : distribution_(m.distribution), hit_mean_(m.hit_us), miss_mean_(m.miss_us) {
  if (const auto problem = check_service_model(m))
    throw std::invalid_argument(fmt::format("service.{}: {}", problem->field, problem->problem));
  using D = ServiceModel::Distribution;
  switch (distribution_) {
    case D::fixed:
    case D::exponential:
      break;
    case D::lognormal: {
      const double l = std::log(m.p99_us / m.miss_us);
      constexpr double z = kNormalQuantile99;
      sigma_ = 2 * l / (z + std::sqrt(std::max(0.0, z * z - 2 * l)));
      break;
    }
    case D::pareto:
      alpha_ = m.alpha;
      low_ = (alpha_ - 1) / alpha_;
      break;
    case D::bounded_pareto:
      alpha_ = m.alpha;
      high_ = m.max_us / m.miss_us;
      low_ = bounded_pareto_low(alpha_, high_);
      break;
    case D::bimodal:
      slow_probability_ = m.slow_probability;
      fast_ = 1 / (1 - m.slow_probability + m.slow_probability * m.slow_factor);
      slow_ = m.slow_factor * fast_;
      break;
    case D::empirical:
      latencies_ = m.latencies;
      break;
  }
}

double ServiceTime::unit_quantile(double u) const {
  using D = ServiceModel::Distribution;
  switch (distribution_) {
    case D::fixed:
      return 1;
    case D::exponential:
      return -std::log1p(-u);
    case D::lognormal:
      return std::exp(sigma_ * normal_quantile(u) - sigma_ * sigma_ / 2);
    case D::pareto:
      return low_ * std::exp(-std::log1p(-u) / alpha_);
    case D::bounded_pareto: {
      const double span = -std::expm1(-alpha_ * std::log(high_ / low_));  // 1 − (L/H)^alpha
      return std::min(high_, low_ * std::exp(-std::log1p(-u * span) / alpha_));
    }
    case D::bimodal:
      return u <= 1 - slow_probability_ ? fast_ : slow_;
    case D::empirical:
      break;  // quantile_us and sample_us scale the measured values directly
  }
  return 1;
}

double ServiceTime::unit_second_moment() const {
  using D = ServiceModel::Distribution;
  switch (distribution_) {
    case D::fixed:
      return 1;
    case D::exponential:
      return 2;
    case D::lognormal:
      return std::exp(sigma_ * sigma_);
    case D::pareto:
      return alpha_ > 2 ? alpha_ * low_ * low_ / (alpha_ - 2) : std::numeric_limits<double>::infinity();
    case D::bounded_pareto:
      return bounded_pareto_moment(2, alpha_, low_, std::log(high_ / low_));
    case D::bimodal:
      return (1 - slow_probability_) * fast_ * fast_ + slow_probability_ * slow_ * slow_;
    case D::empirical:
      return latencies_->second_moment() / (latencies_->mean() * latencies_->mean());
  }
  return 1;
}

double ServiceTime::sample_us(bool hit, Rng& rng) const {
  const double mean = mean_us(hit);
  switch (distribution_) {
    case ServiceModel::Distribution::fixed:
      return mean;
    case ServiceModel::Distribution::exponential:
      return rng.exponential(mean);
    case ServiceModel::Distribution::empirical:
      return latencies_->sample(rng) * (mean / latencies_->mean());
    default:
      return mean * unit_quantile(open_uniform(rng));
  }
}

double ServiceTime::sample_us(bool hit, Rng& rng, double speed) const {
  switch (distribution_) {
    case ServiceModel::Distribution::fixed:
      return mean_us(hit) / speed;
    case ServiceModel::Distribution::exponential:
      return rng.exponential(mean_us(hit) / speed);
    default:
      return sample_us(hit, rng) / speed;
  }
}

double ServiceTime::second_moment_us2(bool hit) const {
  const double mean = mean_us(hit);
  return mean == 0 ? 0 : mean * mean * unit_second_moment();
}

double ServiceTime::quantile_us(bool hit, double q) const {
  // mean / file mean is exactly 1 when the mean came from the file: misses are the measured times.
  if (distribution_ == ServiceModel::Distribution::empirical)
    return latencies_->quantile(q) * (mean_us(hit) / latencies_->mean());
  return mean_us(hit) * unit_quantile(q);
}

}  // namespace loadlab
