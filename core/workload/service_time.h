#pragma once
// How long a node takes to serve one request, before dividing by the node's speed.
//
// Every distribution is one shape used for both kinds of request: a miss takes the shape
// scaled to mean `miss_us`, a hit the same shape scaled to mean `hit_us`. So `hit_us` and
// `miss_us` are always the exact means (what the M/G/1 formula and the window's theory use),
// and the shape's own parameters are given for misses, the time users usually measure:
//
//   fixed           always the mean.
//   exponential     mean only.
//   lognormal       mean and the 99th percentile `p99_us` of a miss (a hit's p99 is
//                   p99_us × hit_us / miss_us). σ solves exp(zσ − σ²/2) = p99/mean with
//                   z = Φ⁻¹(0.99); possible while mean < p99 <= kMaxLognormalP99Ratio × mean.
//   pareto          mean and tail index `alpha` > 1: P(S > x) = (x_m / x)^alpha for
//                   x >= x_m = mean (alpha − 1) / alpha. E[S²] is infinite for alpha <= 2.
//   bounded-pareto  mean, tail index `alpha` > 0 and the longest miss `max_us`: density
//                   ∝ x^(−alpha−1) on [L, max_us], L solved so the mean comes out right.
//   bimodal         two fixed modes: with probability `slow_probability` a request is
//                   `slow_factor` times slower than the fast ones; the fast time is set so
//                   the mean is right (fast = mean / (1 − p + p·k)).
//   empirical       measured latencies (EmpiricalLatencies below), the exact discrete
//                   distribution of the file. A scenario that leaves `miss_us` out gets the
//                   file's mean, so misses take the measured times as they are; a given
//                   `miss_us` rescales them to that mean. Hits are the same shape scaled to
//                   `hit_us` (the backend's variability, at cache speed).
//
// Samples are drawn by inverting the distribution function at one uniform draw (fixed draws
// nothing, exponential is Rng::exponential as the nodes have always called it), so a seed
// gives the same times on every platform.
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/field_problem.h"
#include "base/random.h"

namespace loadlab {

// Measured latencies as a discrete distribution: distinct values in increasing order, each
// with how often it was measured. Read from a text file of either form:
//   one latency in microseconds per line          a histogram: value_us,count per line
//   120.5                                         100,9500
//   98                                            2000,480
// with an optional header line, blank lines ignored. Every data line has the same number of
// columns. Loading throws std::invalid_argument saying which line is wrong and why.
class EmpiricalLatencies {
 public:
  static EmpiricalLatencies load(const std::filesystem::path& file);
  static EmpiricalLatencies parse(std::istream& in, const std::string& name);

  // A value drawn with the probability it was measured with: k = rng.below(total), then the
  // k-th smallest measurement (inverse CDF over the sorted samples, one draw).
  double sample(Rng& rng) const;
  // The smallest value v with P(S <= v) >= q, for q in (0, 1].
  double quantile(double q) const;
  double mean() const { return mean_; }
  double second_moment() const { return second_moment_; }
  std::uint64_t count() const { return cumulative_.empty() ? 0 : cumulative_.back(); }
  std::size_t distinct() const { return values_.size(); }

 private:
  EmpiricalLatencies() = default;
  std::vector<double> values_;
  std::vector<std::uint64_t> cumulative_;  // measurements <= values_[i]
  double mean_ = 0, second_moment_ = 0;
};

// Limits that keep a wrong file from exhausting memory.
inline constexpr std::uint64_t kMaxLatencyFileBytes = 512ULL << 20;
inline constexpr std::size_t kMaxLatencyFileLines = 20'000'000;
inline constexpr double kMaxServiceUs = 60e6;

// Φ⁻¹(0.99), and the largest p99/mean a lognormal can have: exp(z²/2) ≈ 14.97, reached at σ = z.
inline constexpr double kNormalQuantile99 = 2.3263478740408408;
inline const double kMaxLognormalP99Ratio = std::exp(kNormalQuantile99 * kNormalQuantile99 / 2);

struct ServiceModel {
  enum class Distribution { fixed, exponential, lognormal, pareto, bounded_pareto, bimodal, empirical };
  double hit_us = 50;    // mean time to serve a cache hit
  double miss_us = 500;  // mean time to serve a miss (the backing store)
  Distribution distribution = Distribution::exponential;
  double p99_us = 2000;                                 // lognormal: 99th percentile of a miss
  double alpha = 1.5;                                   // pareto, bounded-pareto: tail index
  double max_us = 100'000;                              // bounded-pareto: the longest miss
  double slow_probability = 0.05;                       // bimodal: share of requests in the slow mode ...
  double slow_factor = 10;                              // ... which are this many times slower than the fast ones
  std::string file;                                     // empirical: where the latencies were read from
  std::shared_ptr<const EmpiricalLatencies> latencies;  // empirical: loaded once, shared by copies
};

// Every distribution with the name the scenario file and the command line use for it.
inline constexpr std::array<std::pair<const char*, ServiceModel::Distribution>, 7> kServiceDistributions{{
    {"fixed", ServiceModel::Distribution::fixed},
    {"exponential", ServiceModel::Distribution::exponential},
    {"lognormal", ServiceModel::Distribution::lognormal},
    {"pareto", ServiceModel::Distribution::pareto},
    {"bounded-pareto", ServiceModel::Distribution::bounded_pareto},
    {"bimodal", ServiceModel::Distribution::bimodal},
    {"empirical", ServiceModel::Distribution::empirical},
}};

std::string to_string(ServiceModel::Distribution distribution);

// The first parameter of `model` that is out of range or inconsistent (field names as in the
// scenario's "service" object), or nothing when a ServiceTime can be built from it.
std::optional<FieldProblem> check_service_model(const ServiceModel& model);

class ServiceTime {
 public:
  // Throws std::invalid_argument for parameters validate() rejects (scenario/scenario.h names
  // the field; this is the backstop for code that builds a ServiceModel by hand).
  explicit ServiceTime(const ServiceModel& model);

  // One service time in microseconds, before dividing by the node's speed.
  double sample_us(bool hit, Rng& rng) const;
  // The same divided by `speed`, computed as the nodes always have for fixed and exponential
  // (the mean is divided first, then drawn), so seeded runs keep their figures to the bit.
  double sample_us(bool hit, Rng& rng, double speed) const;

  // Exact moments: E[S] is hit_us or miss_us; E[S²] is +inf for a Pareto tail with alpha <= 2.
  double mean_us(bool hit) const { return hit ? hit_mean_ : miss_mean_; }
  double second_moment_us2(bool hit) const;
  // The q-quantile, q in (0, 1): what sample_us returns when its uniform draw is q.
  double quantile_us(bool hit, double q) const;

  ServiceModel::Distribution distribution() const { return distribution_; }

 private:
  // Every shape is held at mean 1 and scaled by the mean.
  double unit_quantile(double u) const;
  double unit_second_moment() const;

  ServiceModel::Distribution distribution_;
  double hit_mean_, miss_mean_;
  double sigma_ = 0;                                     // lognormal
  double alpha_ = 0, low_ = 0, high_ = 0;                // pareto: x_m = low_; bounded: [low_, high_]
  double slow_probability_ = 0, fast_ = 0, slow_ = 0;    // bimodal
  std::shared_ptr<const EmpiricalLatencies> latencies_;  // empirical, scaled by 1 / its mean
};

}  // namespace loadlab
