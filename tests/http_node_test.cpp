// A LoadLab node as a real HTTP server, attacked as a network server is: garbage, cut-off
// requests, oversized headers and bodies, lying chunked encoding, slow clients, a flood of
// idle connections. After each battery a normal request must still get its answer and the
// node's books must balance (every request handed to the model is answered or abandoned).
#include <sys/resource.h>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it

#include "http/http_route.h"
#include "http/node_http_server.h"
#include "http/prometheus_text.h"

namespace loadlab {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

Scenario one_fast_node() {
  Scenario s;
  s.nodes = default_nodes(1);
  s.nodes[0].slots = 4;
  s.service.hit_us = 50;
  s.service.miss_us = 200;
  return s;
}

struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  explicit Client(const HostPort& at) { socket.connect({asio::ip::make_address(at.host), at.port}); }
  void send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
  // One response, or nullopt when the server closed the connection first.
  std::optional<http::response<http::string_body>> receive() {
    beast::error_code ec;
    http::response<http::string_body> res;
    http::read(socket, buffer, res, ec);
    if (ec) return std::nullopt;
    return res;
  }
  // True when the server closed the connection (read gives EOF or a reset).
  bool closed_by_server() {
    beast::error_code ec;
    char c;
    socket.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  beast::flat_buffer buffer;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

class HttpNode : public ::testing::Test {
 protected:
  void start(HttpLimits limits = {}) {
    server_ = std::make_unique<NodeHttpServer>(one_fast_node(), 0, limits);
    at_ = server_->start({"127.0.0.1", 0});
  }
  // A normal request still works, and every request handed to the model was answered.
  void expect_healthy_and_balanced() {
    Client c(at_);
    c.send(get("/key/7"));
    auto res = c.receive();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 200);
    EXPECT_EQ(res->at("X-LoadLab-Node"), "a");
    // Answers reach the stats after the bytes reach the client: give the socket thread a moment.
    for (int i = 0; i < 200 && server_->stats().in_service > 0; ++i) std::this_thread::sleep_for(5ms);
    const NodeHttpStats s = server_->stats();
    EXPECT_EQ(s.in_service, 0u);
    EXPECT_EQ(s.key_requests, s.key_answered);
    const NodeCounters& n = server_->counters();
    EXPECT_EQ(n.issued.load(), n.completed.load() + n.failed());
  }
  std::unique_ptr<NodeHttpServer> server_;
  HostPort at_;
};

TEST(HttpRoute, AcceptsOnlyWhatTheNodeServes) {
  EXPECT_EQ(route_http_request("GET", "/key/42").key, 42u);
  EXPECT_TRUE(route_http_request("PUT", "/key/42").write);
  EXPECT_EQ(route_http_request("GET", "/key/18446744073709551615").kind, HttpRoute::Kind::key);
  EXPECT_EQ(route_http_request("GET", "/key/18446744073709551616").status, 400);
  EXPECT_EQ(route_http_request("GET", "/key/../../etc/passwd").status, 400);
  EXPECT_EQ(route_http_request("GET", "/key/1%00").status, 400);
  EXPECT_EQ(route_http_request("GET", "/key/").status, 400);
  EXPECT_EQ(route_http_request("GET", "/key/-1").status, 400);
  EXPECT_EQ(route_http_request("GET", "/etc/passwd").status, 404);
  EXPECT_EQ(route_http_request("DELETE", "/key/1").status, 405);
  EXPECT_EQ(route_http_request("POST", "/healthz").status, 405);
  EXPECT_EQ(route_http_request("GET", "/healthz?x=1").kind, HttpRoute::Kind::healthz);
  EXPECT_EQ(route_http_request("GET", "/key/" + std::string(3000, '1')).status, 414);
  // The error message never echoes what the client sent.
  EXPECT_EQ(route_http_request("GET", "/<script>").message.find("<script>"), std::string::npos);
}

TEST(PrometheusText, EscapesLabelsAndKeepsBucketsCumulative) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Histogram h;
  h.record(50'000);          // 50 µs
  h.record(2'000'000);       // 2 ms
  h.record(20'000'000'000);  // 20 s: only in +Inf
  PrometheusText t("n\"1");
  t.histogram("lat", "help", h);
  const std::string& s = t.str();
  EXPECT_NE(s.find("lat_bucket{node=\"n\\\"1\",le=\"0.0001\"} 1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("lat_bucket{node=\"n\\\"1\",le=\"0.0025\"} 2\n"), std::string::npos) << s;
  EXPECT_NE(s.find("lat_bucket{node=\"n\\\"1\",le=\"10\"} 2\n"), std::string::npos) << s;
  EXPECT_NE(s.find("lat_bucket{node=\"n\\\"1\",le=\"+Inf\"} 3\n"), std::string::npos) << s;
  EXPECT_NE(s.find("lat_count{node=\"n\\\"1\"} 3\n"), std::string::npos) << s;
}

TEST_F(HttpNode, ServesKeysHealthAndMetricsOverKeepAlive) {
  start();
  Client c(at_);
  for (int i = 0; i < 3; ++i) {
    c.send(get("/key/" + std::to_string(i % 2)));
    auto res = c.receive();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 200);
    EXPECT_EQ(res->body(), "key " + std::to_string(i % 2) + " served by a\n");
    EXPECT_TRUE(res->keep_alive());
  }
  c.send("HEAD /key/1 HTTP/1.1\r\nHost: t\r\n\r\n");
  http::response_parser<http::string_body> head_parser;
  head_parser.skip(true);  // a HEAD answer has no body whatever its Content-Length says
  http::read(c.socket, c.buffer, head_parser);
  EXPECT_EQ(head_parser.get().result_int(), 200);
  c.send(get("/healthz"));
  EXPECT_EQ(c.receive()->body(), "ok\n");
  c.send(get("/metrics"));
  const std::string metrics = c.receive()->body();
  EXPECT_NE(metrics.find("loadlab_requests_total{node=\"a\"} 4\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("loadlab_cache_hits_total{node=\"a\"} 2\n"), std::string::npos) << metrics;
  expect_healthy_and_balanced();
}

TEST_F(HttpNode, MalformedRequestsGetA4xxAndTheirConnectionClosed) {
  start();
  struct Case {
    std::string bytes;
    int status;
  };
  const std::vector<Case> cases = {
      {std::string("\x00\xff\x13garbage\r\n\r\n", 14), 400},
      {"GET /key/1 HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n", 431},
      {"PUT /key/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000000\r\n\r\n", 413},
      {"PUT /key/1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400},
      {"PUT /key/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello", 400},
      {"GET /key/1 HTTP/9.9\r\n\r\n", 400},
      {get("/key/abc"), 400},
      {get("/nothing"), 404},
      {"DELETE /key/1 HTTP/1.1\r\nHost: t\r\n\r\n", 405},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.bytes.substr(0, 60));
    Client c(at_);
    beast::error_code ec;
    asio::write(c.socket, asio::buffer(tc.bytes), ec);  // the server may close before it all arrives
    auto res = c.receive();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), tc.status);
    if (tc.status != 404 && tc.status != 405) {
      EXPECT_TRUE(c.closed_by_server());
    }
  }
  // Cut off mid-request: the client goes away; the node does not notice beyond the close.
  for (const std::string& partial : {std::string("GET /key/1 HT"), std::string("PUT /key/1 HTTP/1.1\r\nContent-Length: "
                                                                               "10\r\n\r\nabc")}) {
    Client c(at_);
    c.send(partial);
    c.socket.close();
  }
  expect_healthy_and_balanced();
  EXPECT_GE(server_->stats().client_errors, cases.size());
}

TEST_F(HttpNode, ASlowClientIsDroppedAndHoldsNoSlot) {
  HttpLimits limits;
  limits.request_timeout = 300ms;
  start(limits);
  Client slow(at_);
  slow.send("GET /key/1 HTTP/1.1\r\nHost: t\r\n");  // and never the blank line
  std::this_thread::sleep_for(100ms);
  slow.send("X-A: 1\r\n");  // one more header, slowly: the deadline is for the whole request
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  // The stream closes the socket before its handler counts the timeout.
  for (int i = 0; i < 200 && server_->stats().connections_timed_out == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_GE(server_->stats().connections_timed_out, 1u);
  expect_healthy_and_balanced();
}

TEST_F(HttpNode, IdleConnectionsBeyondTheLimitAreRefusedAndOthersStillServed) {
  // The client side holds a socket per connection: make room for a thousand.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  const rlim_t wanted = std::min<rlim_t>(files.rlim_max, 4096);
  if (files.rlim_cur < wanted) {
    files.rlim_cur = wanted;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  const std::size_t attempts = std::min<std::size_t>(1000, files.rlim_cur > 200 ? files.rlim_cur - 200 : 100);
  HttpLimits limits;
  limits.connections = 64;
  start(limits);
  std::vector<std::unique_ptr<Client>> idle;
  for (std::size_t i = 0; i < attempts; ++i) idle.push_back(std::make_unique<Client>(at_));
  for (int i = 0; i < 400 && server_->stats().connections_accepted + server_->stats().connections_refused < attempts;
       ++i)
    std::this_thread::sleep_for(5ms);
  const NodeHttpStats s = server_->stats();
  EXPECT_EQ(s.connections_accepted, 64u);
  EXPECT_EQ(s.connections_refused, attempts - 64);
  EXPECT_EQ(s.open_connections, 64u);
  idle.clear();  // they go away; the node frees their places
  for (int i = 0; i < 400 && server_->stats().open_connections > 0; ++i) std::this_thread::sleep_for(5ms);
  expect_healthy_and_balanced();
}

TEST_F(HttpNode, RequestsPerConnectionAreBounded) {
  HttpLimits limits;
  limits.requests_per_connection = 2;
  start(limits);
  Client c(at_);
  c.send(get("/key/1"));
  EXPECT_TRUE(c.receive()->keep_alive());
  c.send(get("/key/2"));
  EXPECT_FALSE(c.receive()->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpNode, KillClosesTheListenerAndReviveOpensIt) {
  start();
  // A keep-alive connection open across the kill (a proxy's) must not keep the port.
  Client kept(at_);
  kept.send(get("/key/1"));
  ASSERT_TRUE(kept.receive());
  server_->kill();
  EXPECT_TRUE(kept.closed_by_server());
  EXPECT_THROW(Client{at_}, boost::system::system_error);
  server_->revive();
  expect_healthy_and_balanced();
}

TEST_F(HttpNode, DrainAnswersWhatIsInServiceThenStops) {
  Scenario s = one_fast_node();
  s.service.distribution = ServiceModel::Distribution::fixed;
  s.service.miss_us = 300'000;  // long enough that drain starts while it is in service
  server_ = std::make_unique<NodeHttpServer>(s, 0);
  at_ = server_->start({"127.0.0.1", 0});
  Client c(at_);
  c.send(get("/key/5"));
  for (int i = 0; i < 200 && server_->stats().in_service == 0; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_EQ(server_->stats().in_service, 1u);
  std::thread drainer([&] { server_->drain(); });
  auto res = c.receive();
  drainer.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_EQ(server_->counters().completed.load(), 1u);
}

}  // namespace
}  // namespace loadlab
