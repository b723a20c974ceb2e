#pragma once
// What one client may make a LoadLab node hold, with the defaults nginx and HAProxy users
// expect (nginx: 8 KiB headers, keepalive_requests 1000; HAProxy: timeout client/http-request).
// A limit passed is answered (431, 413, 503) or the connection is dropped; never held open.
#include <chrono>
#include <cstddef>

namespace loadlab {

struct HttpLimits {
  std::size_t header_bytes = 8 * 1024;  // request line + headers
  std::size_t body_bytes = 64 * 1024;   // a PUT's value
  std::size_t connections = 1024;       // open at once; one more is closed at once
  std::size_t requests_per_connection = 1000;
  // A request must arrive whole within this (slowloris: one byte a second is dropped), and
  // an idle keep-alive connection is closed after it.
  std::chrono::milliseconds request_timeout{10'000};
  // A response the client does not read within this is abandoned with its connection.
  std::chrono::milliseconds write_timeout{10'000};
};

}  // namespace loadlab
