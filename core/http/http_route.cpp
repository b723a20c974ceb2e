#include "http/http_route.h"

#include <charconv>

namespace loadlab {
namespace {

HttpRoute error(int status, std::string message, std::string allow = {}) {
  HttpRoute r;
  r.status = status;
  r.message = std::move(message);
  r.allow = std::move(allow);
  return r;
}

}  // namespace

HttpRoute route_http_request(std::string_view method, std::string_view target) {
  if (target.size() > kMaxTargetBytes) return error(414, "request target too long");
  // The query, if any, is not part of the resource.
  const std::string_view path = target.substr(0, target.find('?'));
  const bool get = method == "GET" || method == "HEAD";
  if (path == "/healthz" || path == "/metrics") {
    if (!get) return error(405, "method not allowed here", "GET, HEAD");
    HttpRoute r;
    r.kind = path == "/healthz" ? HttpRoute::Kind::healthz : HttpRoute::Kind::metrics;
    return r;
  }
  constexpr std::string_view kPrefix = "/key/";
  if (path.substr(0, kPrefix.size()) != kPrefix)
    return error(404, "no such resource (try /key/<k>, /healthz, /metrics)");
  const std::string_view digits = path.substr(kPrefix.size());
  // Keys are the model's: decimal integers. Nothing else may reach the cache, a file or a log.
  std::uint64_t key = 0;
  const auto* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, key);
  if (digits.empty() || ec != std::errc{} || ptr != end || digits.front() == '+' || digits.front() == '-')
    return error(400, "the key must be a decimal integer below 2^64");
  if (method != "GET" && method != "HEAD" && method != "PUT") return error(405, "method not allowed", "GET, HEAD, PUT");
  HttpRoute r;
  r.kind = HttpRoute::Kind::key;
  r.key = key;
  r.write = method == "PUT";
  return r;
}

}  // namespace loadlab
