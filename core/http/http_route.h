#pragma once
// What a LoadLab node answers, decided from the request line alone — a pure function, so
// the fuzzer can feed it any bytes and the tests can check every path without a socket.
//   GET  /key/<k>   read key k (a decimal integer) through the node's queue, cache and service
//   PUT  /key/<k>   a write of key k, served the same way
//   GET  /healthz   200 while the node is up, 503 when it is down (proxies' active checks)
//   GET  /metrics   Prometheus text: requests, hits, misses, in flight, latency histogram
// HEAD is accepted wherever GET is. Anything else is a 4xx that names the problem.
#include <cstdint>
#include <string>
#include <string_view>

namespace loadlab {

struct HttpRoute {
  enum class Kind { key, healthz, metrics, error };
  Kind kind = Kind::error;
  std::uint64_t key = 0;  // Kind::key
  bool write = false;     // Kind::key: PUT
  int status = 0;         // Kind::error: 400, 404, 405, 414
  std::string message;    // Kind::error: said in the body (never echoes the raw target)
  std::string allow;      // 405: the methods allowed
};

inline constexpr std::size_t kMaxTargetBytes = 2048;

HttpRoute route_http_request(std::string_view method, std::string_view target);

}  // namespace loadlab
