#pragma once
// "45s", "3m05s", "2h10m": elapsed times and ETAs on a progress line. "?" for a time that
// cannot be estimated yet (NaN, infinite).
#include <string>

namespace loadlab::cli {

std::string format_duration(double seconds);

}  // namespace loadlab::cli
