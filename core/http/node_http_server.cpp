#include "http/node_http_server.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it

#include "base/random.h"
#include "caches/cache_registry.h"
#include "engine/engine_clock.h"
#include "engine/node.h"
#include "http/http_route.h"
#include "http/prometheus_text.h"
#include "model/random_streams.h"

namespace loadlab {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class NodeHttpServer::Impl {
 public:
  class Session;

  Impl(const Scenario& scenario, std::size_t index, HttpLimits limits)
      : limits_(limits),
        spec_(scenario.nodes.at(index)),
        // Unbounded queue: an answer here is 200 or "node is down", and a shed request would
        // need a 503 of its own (not done yet: issue 21).
        node_(spec_, QueuePolicy{}, Scenario::kNoDeadline,
              caches().make(scenario.cache_policy,
                            CacheOptions{scenario.cache_capacity_of(index), scenario.cache_params}),
              scenario.service, derive_seed(scenario.seed, node_stream + index), clock_,
              // The node's thread: hand the finished request back to the socket thread.
              [this](std::uint32_t exchange) { asio::post(io_, [this, exchange] { finished(exchange); }); }) {}

  ~Impl() { stop_now(); }

  HostPort start(const HostPort& where) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(where.host, ec);
    if (ec) throw std::runtime_error(fmt::format("--listen: '{}' is not an IP address", where.host));
    endpoint_ = tcp::endpoint(address, where.port);
    open_acceptor();
    node_.start();
    // The socket thread lives until stop_now(), even while killed with nothing to do.
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
    return {endpoint_.address().to_string(), endpoint_.port()};
  }

  // Killing stops listening but keeps the port: while the node is dead, the kernel hands out
  // free ports to outgoing connections (the proxy's, the load's), and one of them taking this
  // port would make the revival fail. A listening socket shut down for reading stops
  // listening (connections are refused, the backlog is reset) and stays bound, so listen()
  // brings it back on the same port.
  void kill() {
    run_on_io([this] {
      killed_ = true;
      beast::error_code ignored;
      acceptor_.cancel(ignored);
      ::shutdown(acceptor_.native_handle(), SHUT_RD);
      close_all_sessions();
    });
    node_.kill();
  }

  void revive() {
    node_.revive();
    std::exception_ptr failure;
    run_on_io([&] {
      if (!killed_) return;
      killed_ = false;
      beast::error_code ec;
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        failure = std::make_exception_ptr(
            std::runtime_error(fmt::format("cannot listen again on port {}: {}", endpoint_.port(), ec.message())));
        return;
      }
      accept();
    });
    if (failure) std::rethrow_exception(failure);
  }

  void drain(std::chrono::milliseconds timeout) {
    if (!thread_.joinable()) return;
    run_on_io([this] {
      draining_ = true;
      beast::error_code ignored;
      acceptor_.close(ignored);
      // Idle connections close now; busy ones after their answer (sent with Connection: close).
      for (Session* s : sessions_)
        if (!s->busy()) s->close();
      check_drained();
    });
    std::unique_lock lock(drain_mutex_);
    drained_.wait_for(lock, timeout, [this] { return drained_flag_; });
    lock.unlock();
    stop_now();
  }

  NodeHttpStats stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
  }
  const NodeCounters& counters() const { return node_.counters(); }
  const std::string& name() const { return spec_.name; }

  // --- socket thread from here on ---

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(Impl& server, tcp::socket socket)
        : server_(server),
          stream_(std::move(socket)),
          buffer_(server.limits_.header_bytes + server.limits_.body_bytes) {}

    void begin() {
      server_.sessions_.insert(this);
      read();
    }
    ~Session() {
      server_.sessions_.erase(this);
      server_.update([](NodeHttpStats& s) { --s.open_connections; });
      server_.check_drained();
    }
    bool busy() const { return busy_; }
    void close() {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.socket().close(ignored);
    }

    // The node finished this session's request.
    void answer(bool node_up) {
      busy_ = false;
      server_.update([&](NodeHttpStats& s) {
        --s.in_service;
        ++s.key_answered;
        if (!stream_.socket().is_open()) ++s.key_abandoned;
      });
      if (!stream_.socket().is_open()) return;
      if (node_up)
        respond(http::status::ok, fmt::format("key {} served by {}\n", key_, server_.spec_.name), keep_alive_);
      else
        respond(http::status::service_unavailable, "node is down\n", false);
    }

   private:
    void read() {
      head_ = false;
      parser_.emplace();
      parser_->header_limit(static_cast<std::uint32_t>(server_.limits_.header_bytes));
      parser_->body_limit(server_.limits_.body_bytes);
      stream_.expires_after(server_.limits_.request_timeout);
      http::async_read(stream_, buffer_, *parser_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
      if (ec == beast::error::timeout) {
        server_.update([](NodeHttpStats& s) { ++s.connections_timed_out; });
        return close();
      }
      if (ec == http::error::end_of_stream || ec == asio::error::connection_reset || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || !stream_.socket().is_open())
        return close();
      if (ec) {
        server_.update([](NodeHttpStats& s) {
          ++s.requests;
          ++s.client_errors;
        });
        if (ec == http::error::header_limit)
          return respond(http::status::request_header_fields_too_large,
                         fmt::format("headers exceed {} bytes\n", server_.limits_.header_bytes), false);
        if (ec == http::error::body_limit)
          return respond(http::status::payload_too_large,
                         fmt::format("body exceeds {} bytes\n", server_.limits_.body_bytes), false);
        if (ec == http::error::partial_message) return close();  // the client went away mid-request
        return respond(http::status::bad_request, "malformed request\n", false);
      }
      ++served_;
      const auto& request = parser_->get();
      keep_alive_ = request.keep_alive() && served_ < server_.limits_.requests_per_connection && !server_.draining_;
      head_ = request.method() == http::verb::head;
      server_.update([](NodeHttpStats& s) { ++s.requests; });
      const HttpRoute route =
          route_http_request(std::string_view(request.method_string().data(), request.method_string().size()),
                             std::string_view(request.target().data(), request.target().size()));
      switch (route.kind) {
        case HttpRoute::Kind::healthz:
          if (server_.node_.up()) return respond(http::status::ok, "ok\n", keep_alive_);
          return respond(http::status::service_unavailable, "down\n", keep_alive_);
        case HttpRoute::Kind::metrics:
          return respond(http::status::ok, server_.metrics_text(), keep_alive_, "text/plain; version=0.0.4");
        case HttpRoute::Kind::error: {
          server_.update([](NodeHttpStats& s) { ++s.client_errors; });
          allow_ = route.allow;
          // A target that is not a key (400, 414) is a client to stop talking to; an unknown
          // path or method (404, 405) is an honest mistake the connection survives.
          const bool keep = keep_alive_ && route.status != 400 && route.status != 414;
          return respond(static_cast<http::status>(route.status), route.message + "\n", keep);
        }
        case HttpRoute::Kind::key:
          busy_ = true;
          key_ = route.key;
          server_.submit(shared_from_this(), route.key);
          return;
      }
    }

    void respond(http::status status, std::string body, bool keep_alive,
                 const char* content_type = "text/plain; charset=utf-8") {
      keep_alive = keep_alive && !server_.draining_;  // a drain may have begun while it was in service
      response_ = {};
      response_.version(11);
      response_.result(status);
      response_.set(http::field::server, "loadlab-node");
      response_.set("X-LoadLab-Node", server_.spec_.name);
      response_.set(http::field::content_type, content_type);
      if (!allow_.empty()) response_.set(http::field::allow, allow_);
      allow_.clear();
      response_.keep_alive(keep_alive);
      response_.body() = head_ ? std::string() : std::move(body);
      response_.prepare_payload();
      stream_.expires_after(server_.limits_.write_timeout);
      http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
        if (ec == beast::error::timeout) self->server_.update([](NodeHttpStats& s) { ++s.connections_timed_out; });
        if (ec || !keep_alive || self->server_.draining_ || self->server_.killed_) return self->close();
        self->read();
      });
    }

    Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    std::string allow_;
    std::size_t served_ = 0;
    std::uint64_t key_ = 0;
    bool keep_alive_ = false;
    bool head_ = false;
    bool busy_ = false;
  };

 private:
  template <class F>
  void update(F f) {
    std::lock_guard lock(stats_mutex_);
    f(stats_);
  }

  // Runs `f` on the socket thread and waits for it (the public methods are called from others).
  template <class F>
  void run_on_io(F f) {
    if (!thread_.joinable()) return f();
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  void open_acceptor() {
    beast::error_code ec;
    const bool any_port = endpoint_.port() == 0;
    // Port 0: bound to the port the OS picks, then bound again to it by number — a socket
    // bound to port 0 gives its port up when it stops listening (kill), one bound by number
    // keeps it. Another process may take the port in between; then the OS picks again.
    for (int attempt = 0; attempt < (any_port ? 20 : 1); ++attempt) {
      ec = {};
      if (any_port) {
        tcp::acceptor probe(io_);
        endpoint_.port(0);
        probe.open(endpoint_.protocol(), ec);
        if (!ec) probe.bind(endpoint_, ec);
        if (!ec) endpoint_ = probe.local_endpoint(ec);
      }
      if (!ec) acceptor_.open(endpoint_.protocol(), ec);
      if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) acceptor_.bind(endpoint_, ec);
      if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
      if (!ec) break;
      beast::error_code ignored;
      acceptor_.close(ignored);
    }
    if (ec) {
      beast::error_code ignored;
      acceptor_.close(ignored);
      throw std::runtime_error(fmt::format("cannot listen on {}: {}",
                                           HostPort{endpoint_.address().to_string(), endpoint_.port()}.to_string(),
                                           ec.message()));
    }
    endpoint_ = acceptor_.local_endpoint();  // the port the OS picked for port 0
    if (!thread_.joinable()) asio::post(io_, [this] { accept(); });
  }

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (killed_ || draining_) return;  // a connection that slipped in is closed with `socket`
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
        return accept();  // a transient error (too many open files): keep serving the others
      }
      bool refuse = false;
      update([&](NodeHttpStats& s) {
        refuse = s.open_connections >= limits_.connections;
        if (refuse) {
          ++s.connections_refused;
        } else {
          ++s.connections_accepted;
          ++s.open_connections;
        }
      });
      if (refuse) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(*this, std::move(socket))->begin();
      }
      accept();
    });
  }

  void submit(std::shared_ptr<Session> session, std::uint64_t key) {
    if (next_exchange_ == kNoClient) next_exchange_ = 0;  // kNoClient would never be answered
    const std::uint32_t exchange = next_exchange_++;
    pending_.emplace(exchange, std::move(session));
    update([](NodeHttpStats& s) {
      ++s.key_requests;
      ++s.in_service;
    });
    Request r;
    r.key = key;
    r.intended_ns = clock_.now_ns();
    r.client = exchange;
    // The node counts what it is handed; this server is its only dispatcher.
    node_.counters().issued.fetch_add(1, std::memory_order_release);
    node_.submit(std::span<const Request>(&r, 1));
  }

  void finished(std::uint32_t exchange) {
    auto it = pending_.find(exchange);
    if (it == pending_.end()) return;
    std::shared_ptr<Session> session = std::move(it->second);
    pending_.erase(it);
    session->answer(node_.up());
    check_drained();
  }

  void close_all_sessions() {
    for (Session* s : sessions_) s->close();
  }

  void check_drained() {
    if (!draining_ || !pending_.empty() || !sessions_.empty()) return;
    std::lock_guard lock(drain_mutex_);
    drained_flag_ = true;
    drained_.notify_all();
  }

  std::string metrics_text() const {
    Histogram latency;
    node_.counters().latency.read_into(latency);
    const NodeCounters& c = node_.counters();
    const NodeHttpStats s = stats();
    PrometheusText out(spec_.name);
    out.counter("loadlab_requests_total", "Requests the node answered after service.",
                c.completed.load(std::memory_order_acquire));
    out.counter("loadlab_cache_hits_total", "Requests served from the node's cache.",
                c.hits.load(std::memory_order_acquire));
    out.counter("loadlab_cache_misses_total", "Requests that missed the node's cache.",
                c.misses.load(std::memory_order_acquire));
    out.counter("loadlab_failed_total", "Requests that failed (the node was down or stopping).", c.failed());
    out.gauge("loadlab_in_flight", "Requests queued or in service.",
              static_cast<double>(c.queue_length.load(std::memory_order_acquire) +
                                  c.in_service.load(std::memory_order_acquire)));
    out.gauge("loadlab_up", "1 while the node is up.", node_.up() ? 1 : 0);
    out.gauge("loadlab_http_open_connections", "HTTP connections open now.", static_cast<double>(s.open_connections));
    out.counter("loadlab_http_client_errors_total", "Requests answered 4xx.", s.client_errors);
    out.counter("loadlab_http_connections_refused_total", "Connections closed at once: over the limit.",
                s.connections_refused);
    out.histogram("loadlab_request_duration_seconds", "Latency from arrival at the node to the end of service.",
                  latency);
    return out.str();
  }

  void stop_now() {
    if (stopped_) return;
    stopped_ = true;
    if (thread_.joinable()) {
      run_on_io([this] {
        beast::error_code ignored;
        acceptor_.close(ignored);
        close_all_sessions();
      });
    }
    // The node first: its last callbacks post to io_, which still runs.
    node_.cancel_all();
    node_.shutdown();
    if (thread_.joinable()) {
      asio::post(io_, [this] { pending_.clear(); });
      work_.reset();
      // Sessions end as their operations fail on the closed sockets; then run() returns.
      thread_.join();
    }
  }

  HttpLimits limits_;
  NodeSpec spec_;
  EngineClock clock_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  tcp::acceptor acceptor_{io_};
  tcp::endpoint endpoint_;
  Node node_;
  std::thread thread_;
  std::set<Session*> sessions_;
  std::unordered_map<std::uint32_t, std::shared_ptr<Session>> pending_;
  std::uint32_t next_exchange_ = 0;
  bool draining_ = false, killed_ = false, stopped_ = false;
  mutable std::mutex stats_mutex_;
  NodeHttpStats stats_;
  std::mutex drain_mutex_;
  std::condition_variable drained_;
  bool drained_flag_ = false;
};

NodeHttpServer::NodeHttpServer(const Scenario& scenario, std::size_t node, HttpLimits limits)
    : impl_(std::make_unique<Impl>(scenario, node, limits)) {}
NodeHttpServer::~NodeHttpServer() = default;
HostPort NodeHttpServer::start(const HostPort& where) { return impl_->start(where); }
void NodeHttpServer::kill() { impl_->kill(); }
void NodeHttpServer::revive() { impl_->revive(); }
void NodeHttpServer::drain(std::chrono::milliseconds timeout) { impl_->drain(timeout); }
NodeHttpStats NodeHttpServer::stats() const { return impl_->stats(); }
const NodeCounters& NodeHttpServer::counters() const { return impl_->counters(); }
const std::string& NodeHttpServer::node_name() const { return impl_->name(); }

}  // namespace loadlab
