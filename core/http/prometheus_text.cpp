#include "http/prometheus_text.h"

#include <fmt/format.h>

namespace loadlab {

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

PrometheusText::PrometheusText(std::string_view node) : label_("node=\"" + escape_label_value(node) + "\"") {}

void PrometheusText::header(std::string_view name, std::string_view help, std::string_view type) {
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void PrometheusText::counter(std::string_view name, std::string_view help, std::uint64_t value) {
  header(name, help, "counter");
  out_ += fmt::format("{}{{{}}} {}\n", name, label_, value);
}

void PrometheusText::gauge(std::string_view name, std::string_view help, double value) {
  header(name, help, "gauge");
  out_ += fmt::format("{}{{{}}} {}\n", name, label_, value);
}

void PrometheusText::histogram(std::string_view name, std::string_view help, const Histogram& h) {
  static constexpr double kBoundsS[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                        0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  header(name, help, "histogram");
  // Buckets are summed in one pass: a LoadLab bucket counts toward the first bound at or
  // above its upper edge (its resolution is finer than any bound's spacing).
  std::uint64_t cumulative = 0;
  double sum_s = 0;
  std::size_t b = 0;
  for (double bound : kBoundsS) {
    const auto bound_ns = static_cast<std::uint64_t>(bound * 1e9);
    for (; b < Histogram::kBucketCount && Histogram::bucket_high(b) <= bound_ns; ++b) {
      const std::uint64_t n = h.bucket_count(b);
      cumulative += n;
      sum_s += static_cast<double>(n) * Histogram::bucket_mid(b) / 1e9;
    }
    out_ += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, label_, bound, cumulative);
  }
  for (; b < Histogram::kBucketCount; ++b)
    sum_s += static_cast<double>(h.bucket_count(b)) * Histogram::bucket_mid(b) / 1e9;
  out_ += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, label_, h.count());
  out_ += fmt::format("{}_sum{{{}}} {}\n", name, label_, sum_s);
  out_ += fmt::format("{}_count{{{}}} {}\n", name, label_, h.count());
}

}  // namespace loadlab
