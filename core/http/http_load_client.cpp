#include "http/http_load_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <memory>
#include <utility>  // before any Asio header: Boost 1.74 Asio with g++ 12 in C++20 needs it
#include <vector>

#include "base/random.h"
#include "model/random_streams.h"
#include "workload/arrivals.h"
#include "workload/key_distribution.h"

namespace loadlab {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Pending {
  std::uint64_t key;
  bool write;
  Clock::time_point intended;
};

class Load {
 public:
  Load(const Scenario& s, const HttpLoadOptions& o, const std::atomic<bool>* stop)
      : scenario_(s),
        options_(o),
        stop_(stop),
        endpoint_(asio::ip::make_address(o.target.host), o.target.port),
        arrivals_(make_arrival_process(s.workload)),
        keys_(s.workload.keys),
        arrival_rng_(derive_seed(s.seed, arrivals_stream)),
        key_rng_(derive_seed(s.seed, keys_stream)),
        tick_(io_),
        sweep_(io_) {}

  HttpLoadResult run() {
    start_ = Clock::now();
    for (unsigned i = 0; i < std::max(1u, options_.connections); ++i)
      connections_.push_back(std::make_unique<Connection>(*this));
    for (auto& c : connections_) c->connect();
    schedule_next();
    sweep();
    io_.run();
    result_.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
    return std::move(result_);
  }

 private:
  class Connection {
   public:
    explicit Connection(Load& load) : load_(load), stream_(load.io_) {}

    void connect() {
      connected_ = false;
      stream_.expires_after(load_.options_.timeout);
      stream_.async_connect(load_.endpoint_, [this](beast::error_code ec) {
        if (ec) {
          // Nothing listens (yet, or any more): try again shortly; requests wait in the queue.
          retry_timer_.emplace(load_.io_);
          retry_timer_->expires_after(std::chrono::milliseconds(20));
          retry_timer_->async_wait([this](beast::error_code) {
            if (!load_.finished()) connect();
          });
          return;
        }
        connected_ = true;
        load_.idle(this);
      });
    }

    void send(const Pending& p) {
      current_ = p;
      request_ = {};
      request_.version(11);
      request_.method(p.write ? http::verb::put : http::verb::get);
      request_.target("/key/" + std::to_string(p.key));
      request_.set(http::field::host, load_.options_.target.to_string());
      request_.set(http::field::user_agent, "loadlab-cli");
      request_.keep_alive(true);
      if (p.write) request_.body() = "v";
      request_.prepare_payload();
      stream_.expires_after(load_.options_.timeout);
      http::async_write(stream_, request_, [this](beast::error_code ec, std::size_t) {
        if (ec) return failed(ec);
        response_ = {};
        http::async_read(stream_, buffer_, response_, [this](beast::error_code ec2, std::size_t) {
          if (ec2) return failed(ec2);
          load_.answered(current_, response_);
          if (!response_.keep_alive()) return reconnect();
          load_.idle(this);
        });
      });
    }

   private:
    void failed(beast::error_code) {
      load_.failed(current_);
      reconnect();
    }
    void reconnect() {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.close();
      buffer_.clear();
      if (!load_.finished()) connect();
    }

    Load& load_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    std::optional<asio::steady_timer> retry_timer_;
    Pending current_{};
    bool connected_ = false;
  };

  bool more_to_issue() const {
    if (stop_ && stop_->load(std::memory_order_relaxed)) return false;
    const auto& w = scenario_.workload;
    if (w.requests > 0 && result_.issued >= w.requests) return false;
    if (w.duration_s > 0 && next_ns_ >= w.duration_s * 1e9) return false;
    return true;
  }
  bool finished() const { return done_issuing_ && in_flight_ == 0; }

  // Issues every request whose intended time has come, then sleeps until the next one.
  void schedule_next() {
    const auto now_ns =
        static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count());
    while (open_loop() && more_to_issue() && next_ns_ <= now_ns) {
      enqueue(start_ + std::chrono::nanoseconds(static_cast<std::int64_t>(next_ns_)));
      next_ns_ = arrivals_.next_ns(next_ns_, arrival_rng_);
    }
    if (!open_loop()) {
      // Closed loop: connections issue as they free up (idle()); this only watches the end.
      next_ns_ = now_ns;
      if (more_to_issue()) {
        tick_.expires_after(std::chrono::milliseconds(20));
        tick_.async_wait([this](beast::error_code ec) {
          if (!ec) schedule_next();
        });
        return;
      }
    }
    dispatch();
    if (!more_to_issue()) {
      done_issuing_ = true;
      if (stop_ && stop_->load()) result_.interrupted = true;
      maybe_finish();
      return;
    }
    tick_.expires_at(start_ + std::chrono::nanoseconds(static_cast<std::int64_t>(next_ns_)));
    tick_.async_wait([this](beast::error_code) { schedule_next(); });
  }

  void idle(Connection* c) {
    idle_.push_back(c);
    // Closed loop and max: each free connection sends the next request at once (one client
    // per connection, no think time), and its latency counts from then.
    if (!open_loop() && queue_.empty() && more_to_issue()) enqueue(Clock::now());
    dispatch();
    maybe_finish();
  }
  bool open_loop() const { return scenario_.workload.mode == Workload::Mode::open; }
  void enqueue(Clock::time_point intended) {
    const double write_draw = scenario_.workload.write_fraction > 0 ? key_rng_.uniform() : 1;
    queue_.push_back({keys_.next(key_rng_), write_draw < scenario_.workload.write_fraction, intended});
    ++result_.issued;
    ++in_flight_;
  }
  void dispatch() {
    while (!idle_.empty() && !queue_.empty()) {
      Connection* c = idle_.back();
      idle_.pop_back();
      const Pending p = queue_.front();
      queue_.pop_front();
      c->send(p);
    }
  }

  void answered(const Pending& p, const http::response<http::string_body>& res) {
    --in_flight_;
    ++result_.by_status[res.result_int()];
    if (res.result_int() / 100 == 2) {
      ++result_.completed;
      const auto node = res.find("X-LoadLab-Node");
      ++result_.by_node[node == res.end() ? std::string("?") : std::string(node->value())];
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - p.intended).count();
      result_.latency_ns.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, ns)));
    } else {
      ++result_.failed;
    }
  }
  void failed(const Pending&) {
    --in_flight_;
    ++result_.failed;
    ++result_.by_status[0];
  }
  // Requests still waiting for a connection when their time is up fail: with nothing
  // listening they would otherwise wait for ever.
  void sweep() {
    const auto now = Clock::now();
    while (!queue_.empty() && queue_.front().intended + options_.timeout < now) {
      failed(queue_.front());
      queue_.pop_front();
    }
    maybe_finish();
    if (finished()) return;
    sweep_.expires_after(std::chrono::milliseconds(50));
    sweep_.async_wait([this](beast::error_code ec) {
      if (!ec) sweep();
    });
  }
  void maybe_finish() {
    if (!finished()) return;
    // Everything is answered or failed. Stopping the io_context ends run(); the connections
    // close when the Load goes (not here: this may run inside one of their handlers).
    tick_.cancel();
    sweep_.cancel();
    io_.stop();
  }

  const Scenario& scenario_;
  HttpLoadOptions options_;
  const std::atomic<bool>* stop_;
  asio::io_context io_;
  tcp::endpoint endpoint_;
  ArrivalProcess arrivals_;
  KeyDistribution keys_;
  Rng arrival_rng_, key_rng_;
  asio::steady_timer tick_, sweep_;
  Clock::time_point start_;
  double next_ns_ = 0;
  std::deque<Pending> queue_;
  std::vector<Connection*> idle_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::uint64_t in_flight_ = 0;
  bool done_issuing_ = false;
  HttpLoadResult result_;
};

}  // namespace

HttpLoadResult run_http_load(const Scenario& scenario, const HttpLoadOptions& options, const std::atomic<bool>* stop) {
  return Load(scenario, options, stop).run();
}

}  // namespace loadlab
