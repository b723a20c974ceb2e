#pragma once
// "host:port" and "http://host:port" as a scenario, a proxy configuration or a command line
// gives them. One parser, so a node's address means the same to the exporter, the importer
// and (later) the HTTP client.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadlab {

struct HostPort {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without its brackets
  std::uint16_t port = 0;
  // host:port, with brackets around an IPv6 host.
  std::string to_string() const;
};

// Parses "host:port", "[v6]:port" or, when `allow_scheme`, also "http://host:port" (an
// optional trailing "/" is accepted; a path, a query, https or a missing port are not).
// Port 0 ("let the OS pick") only when `allow_port_zero`, for a listening address.
// Returns nullopt and sets `why` to the reason when the text is not such an address.
std::optional<HostPort> parse_host_port(std::string_view text, std::string* why = nullptr, bool allow_scheme = true,
                                        bool allow_port_zero = false);

}  // namespace loadlab
