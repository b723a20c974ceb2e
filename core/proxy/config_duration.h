#pragma once
// Durations as proxy configurations write them: "10s", "500ms", "2m". nginx reads a bare
// number as seconds, HAProxy as milliseconds: the caller says which.
#include <optional>
#include <string>
#include <string_view>

namespace loadlab {

// Whole seconds as "10s", else whole milliseconds as "500ms" (rounded to the millisecond,
// which every product's resolution is).
std::string format_duration(double seconds);
// Envoy's protobuf Duration in JSON: "2s", "0.500s".
std::string format_protobuf_duration(double seconds);

enum class BareNumberUnit { seconds, milliseconds };
// "500ms", "10s", "2m", "1h", "1d", and nginx's combined "1m30s"; nullopt when malformed.
std::optional<double> parse_duration(std::string_view text, BareNumberUnit bare);

}  // namespace loadlab
