#pragma once
// The Prometheus text exposition format (version 0.0.4), for a node's /metrics: one HELP and
// TYPE line per metric, every sample labelled with the node's name, escaped as the format asks.
#include <cstdint>
#include <string>
#include <string_view>

#include "metrics/histogram.h"

namespace loadlab {

class PrometheusText {
 public:
  explicit PrometheusText(std::string_view node);
  void counter(std::string_view name, std::string_view help, std::uint64_t value);
  void gauge(std::string_view name, std::string_view help, double value);
  // A latency histogram recorded in nanoseconds, exposed in seconds with cumulative buckets
  // from 100 µs to 10 s (+Inf), its _sum from the bucket midpoints and its _count.
  void histogram(std::string_view name, std::string_view help, const Histogram& latency_ns);
  const std::string& str() const { return out_; }

 private:
  void header(std::string_view name, std::string_view help, std::string_view type);
  std::string label_;  // node="a"
  std::string out_;
};

// A label value escaped for the text format: \ " and newline.
std::string escape_label_value(std::string_view value);

}  // namespace loadlab
