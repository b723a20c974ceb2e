#include "base/host_port.h"

#include <cctype>
#include <charconv>

namespace loadlab {
namespace {

std::optional<HostPort> fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

bool valid_host_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }

}  // namespace

std::string HostPort::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<HostPort> parse_host_port(std::string_view text, std::string* why, bool allow_scheme,
                                        bool allow_port_zero) {
  std::string_view rest = text;
  if (allow_scheme && rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  } else if (rest.find("://") != std::string_view::npos) {
    return fail(why, allow_scheme ? "only http:// addresses are supported" : "expected host:port, not a URL");
  }
  if (rest.find_first_of("/?#") != std::string_view::npos) return fail(why, "a path or query is not allowed here");
  HostPort out;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail(why, "unclosed '[' in an IPv6 address");
    out.host = std::string(rest.substr(1, close - 1));
    if (out.host.empty()) return fail(why, "empty IPv6 address");
    for (char c : out.host)
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
        return fail(why, "bad character in an IPv6 address");
    if (close + 1 >= rest.size() || rest[close + 1] != ':') return fail(why, "missing :port");
    port_text = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return fail(why, "missing :port");
    out.host = std::string(rest.substr(0, colon));
    port_text = rest.substr(colon + 1);
    if (out.host.empty()) return fail(why, "missing host");
    for (char c : out.host)
      if (!valid_host_char(c)) return fail(why, std::string("bad character '") + c + "' in the host");
  }
  unsigned port = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || ec != std::errc{} || ptr != end || (port == 0 && !allow_port_zero) || port > 65535)
    return fail(why,
                allow_port_zero ? "port must be a number from 0 to 65535" : "port must be a number from 1 to 65535");
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

}  // namespace loadlab
