#pragma once
// `--precision P`, `--precision-of`, `--max-requests`, `--max-seeds`, `--allow-imprecise`
// (issue 20): the same flags on `run` and `sweep`, checked the same way.
#include <cstdint>
#include <optional>
#include <string>

#include "sweep/precision_target.h"

namespace CLI {
class App;
}

namespace loadlab::cli {

struct PrecisionFlags {
  std::optional<double> precision;
  std::optional<std::string> of;
  std::optional<std::uint64_t> max_requests;
  std::optional<std::size_t> max_seeds;
  bool allow_imprecise = false;

  void add_to(CLI::App& app);
  // Nothing when --precision is not given (then the others are an error: they would be
  // silently ignored). Throws ScenarioError naming the flag.
  std::optional<PrecisionTarget> target() const;
};

}  // namespace loadlab::cli
