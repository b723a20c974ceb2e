#include "engine/node.h"

#include <boost/asio/post.hpp>

#include "engine/timer_slack.h"

namespace loadlab {

Node::Node(const NodeSpec& spec, const QueuePolicy& queue, double deadline_ms, std::unique_ptr<Cache> cache,
           const ServiceModel& service, std::uint64_t seed, const EngineClock& clock, NodeModel::ClientDone client_done,
           NodeModel::Retry retry)
    : queue_timer_(io_),
      clock_(clock),
      model_(spec, queue, deadline_ms, std::move(cache), service, seed, *this, std::move(client_done),
             std::move(retry)) {
  for (unsigned i = 0; i < spec.slots; ++i) timers_.push_back(std::make_unique<boost::asio::steady_timer>(io_));
}

Node::~Node() { shutdown(); }

void Node::start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    use_precise_timers();
    io_.run();
  });
}

void Node::submit(std::span<const Request> batch) {
  if (batch.empty()) return;
  bool post;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.insert(inbox_.end(), batch.begin(), batch.end());
    post = !drain_posted_;
    drain_posted_ = true;
  }
  if (post) boost::asio::post(io_, [this] { drain_inbox(); });
}

void Node::take_inbox() {
  {
    std::lock_guard lock(inbox_mutex_);
    batch_.swap(inbox_);
    drain_posted_ = false;
  }
  const std::int64_t now = clock_.now_ns();
  for (const Request& r : batch_) model_.arrive(r, now);
  batch_.clear();
}

void Node::drain_inbox() {
  take_inbox();
  model_.pump(clock_.now_ns());
}

void Node::start(std::size_t slot, std::uint64_t generation, std::int64_t due_ns) {
  boost::asio::steady_timer& timer = *timers_[slot];
  timer.expires_at(clock_.at(due_ns));
  timer.async_wait([this, slot, generation, due_ns](const boost::system::error_code& error) {
    if (!error) model_.finish(slot, generation, due_ns);
  });
}

void Node::cancel(std::size_t slot) { timers_[slot]->cancel(); }

void Node::wake(std::int64_t due_ns) {
  queue_timer_.expires_at(clock_.at(due_ns));
  queue_timer_.async_wait([this, due_ns](const boost::system::error_code& error) {
    if (error) return;
    // Requests still in the inbox arrived before this moment: they join the queue first, so
    // the bound sees everything that is waiting.
    take_inbox();
    model_.wake(due_ns);
    model_.pump(clock_.now_ns());
  });
}

void Node::kill() {
  up_.store(false, std::memory_order_release);
  boost::asio::post(io_, [this] {
    take_inbox();  // requests still in the inbox were issued too: they fail with the rest
    model_.kill(clock_.now_ns());
  });
}

void Node::revive() {
  boost::asio::post(io_, [this] {
    model_.revive();
    up_.store(true, std::memory_order_release);
  });
}

void Node::set_spikes(double probability, double extra_us) {
  boost::asio::post(io_, [this, probability, extra_us] { model_.set_spikes(probability, extra_us); });
}

void Node::set_speed(double speed) {
  boost::asio::post(io_, [this, speed] { model_.set_speed(speed); });
}

void Node::set_cache_capacity(std::size_t objects) {
  boost::asio::post(io_, [this, objects] { model_.set_cache_capacity(objects); });
}

void Node::cancel_all() {
  boost::asio::post(io_, [this] {
    take_inbox();
    model_.cancel_all(clock_.now_ns());
  });
}

void Node::shutdown() {
  if (!thread_.joinable()) return;
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace loadlab
