#include "proxy/config_duration.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace loadlab {

std::string format_duration(double seconds) {
  const double ms = std::round(seconds * 1000);
  if (std::fmod(ms, 1000) == 0) return fmt::format("{}s", static_cast<long long>(ms / 1000));
  return fmt::format("{}ms", static_cast<long long>(ms));
}

std::string format_protobuf_duration(double seconds) {
  const double ms = std::round(seconds * 1000);
  if (std::fmod(ms, 1000) == 0) return fmt::format("{}s", static_cast<long long>(ms / 1000));
  return fmt::format("{:.3f}s", ms / 1000);
}

std::optional<double> parse_duration(std::string_view text, BareNumberUnit bare) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(start, i - start)));
    } catch (...) {
      return std::nullopt;
    }
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale = 0;
    if (unit.empty()) {
      if (any || i != text.size()) return std::nullopt;  // "1m30" is not a duration
      scale = bare == BareNumberUnit::seconds ? 1 : 0.001;
    } else if (unit == "us") {
      scale = 1e-6;
    } else if (unit == "ms") {
      scale = 0.001;
    } else if (unit == "s") {
      scale = 1;
    } else if (unit == "m") {
      scale = 60;
    } else if (unit == "h") {
      scale = 3600;
    } else if (unit == "d") {
      scale = 86400;
    } else {
      return std::nullopt;
    }
    total += value * scale;
    any = true;
  }
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

}  // namespace loadlab
