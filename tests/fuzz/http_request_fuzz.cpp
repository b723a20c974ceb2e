// libFuzzer target: any bytes, as a LoadLab node's HTTP server reads them — Beast's request
// parser with the node's limits, then the node's router — never crash, hang or read out of
// bounds; a request that parses gets a route with a status in 2xx-4xx.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it

#include "http/http_limits.h"
#include "http/http_route.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  const loadlab::HttpLimits limits;
  // Fed in two pieces, as bytes arrive from a socket: the parser must keep its place.
  const std::size_t split = size > 0 ? data[0] % (size + 1) : 0;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
  parser.body_limit(limits.body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(data, split), ec);
  if (ec == http::error::need_more) ec = {};
  if (!ec && !parser.is_done()) {
    used += parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) ec = {};
  }
  if (used > size) __builtin_trap();
  if (!ec && parser.is_header_done()) {
    const auto& req = parser.get();
    const loadlab::HttpRoute r =
        loadlab::route_http_request(std::string_view(req.method_string().data(), req.method_string().size()),
                                    std::string_view(req.target().data(), req.target().size()));
    if (r.kind == loadlab::HttpRoute::Kind::error && (r.status < 400 || r.status > 499)) __builtin_trap();
  }
  return 0;
}
