#pragma once
// Exponential variates by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method for
// Generating Random Variables", J. Stat. Software 5(8), 2000). Every simulated request draws
// two exponentials (its Poisson gap and its service time), and -log(1-u) was a fifth of the
// virtual clock's time; the ziggurat returns 99% of its draws with one table lookup and one
// multiply, and the rest exactly (wedges by rejection, the tail by memorylessness), so the
// distribution is the exponential's, not an approximation of it.
//
// The area under e^-x is covered by kLayers strips of equal area: strip 0 is the base
// rectangle [0, r] x [0, e^-r] plus the tail beyond r, strip i >= 1 the rectangle
// [0, x_i] x [e^-x_i, e^-x_(i+1)]. Pick a strip and a point x in it uniformly; x below the
// next strip's edge lies under the curve whatever its height, so it is accepted at once.
#include <array>
#include <cmath>
#include <cstdint>

namespace loadlab {

class ExponentialZiggurat {
 public:
  static constexpr int kLayers = 256;

  // One standard exponential (mean 1) from a source of 64-bit words (`next()`).
  template <class Source>
  static double draw(Source& source) {
    const Tables& t = tables();
    while (true) {
      const std::uint64_t bits = source.next();
      const auto i = static_cast<std::size_t>(bits & (kLayers - 1));
      const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * t.x[i];  // bits 11..63: independent of i
      if (x < t.x[i + 1]) return x;
      if (i == 0) return kR - std::log1p(-uniform(source));  // the tail: memoryless beyond r
      // A wedge: accept under the curve, between the strip's bottom and top.
      const double y = t.f[i] + uniform(source) * (t.f[i + 1] - t.f[i]);
      if (y < std::exp(-x)) return x;
    }
  }

 private:
  // r and the common strip area v for 256 strips (Marsaglia & Tsang's values): they make the
  // top strip end at x = 0, where e^-x = 1.
  static constexpr double kR = 7.69711747013104972;
  static constexpr double kArea = 0.0039496598225815571993;

  struct Tables {
    std::array<double, kLayers + 1> x{};  // x[i]: strip i's right edge; x[kLayers] = 0
    std::array<double, kLayers + 1> f{};  // f[i] = e^-x[i]
  };
  // Built once, on first use (a function-local static: no other static initialiser can draw
  // from an empty table); inline, so a draw pays one predictable guard check, not a call.
  static const Tables& tables() {
    static const Tables t = build();
    return t;
  }
  static Tables build();

  template <class Source>
  static double uniform(Source& source) {
    return static_cast<double>(source.next() >> 11) * 0x1.0p-53;
  }
};

}  // namespace loadlab
