#include "engine/node.h"

#include <boost/asio/post.hpp>
#include <cmath>

#include "engine/timer_slack.h"
#include "model/write_quorum.h"

namespace loadlab {

Node::Node(const NodeSpec& spec, std::unique_ptr<Cache> cache, const ServiceModel& service,
           std::uint64_t seed, const EngineClock& clock, ClientDone client_done, Retry retry)
    : cache_(std::move(cache)),
      service_(service),
      speed_(spec.speed),
      rng_(seed),
      clock_(clock),
      client_done_(std::move(client_done)),
      retry_(std::move(retry)) {
  for (unsigned i = 0; i < spec.slots; ++i) {
    slots_.push_back(std::make_unique<Slot>(io_));
    free_slots_.push_back(spec.slots - 1 - i);
  }
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

void Node::drain_inbox() {
  {
    std::lock_guard lock(inbox_mutex_);
    batch_.swap(inbox_);
    drain_posted_ = false;
  }
  if (cancelled_) {
    for (const Request& r : batch_) cancel(r);
  } else if (down_) {
    for (const Request& r : batch_) fail(r);
  } else {
    for (const Request& r : batch_) queue_.push_back(r);
  }
  batch_.clear();
  pump();
}

void Node::pump() {
  while (!queue_.empty() && !free_slots_.empty()) {
    const Request r = queue_.front();
    queue_.pop_front();
    serve(r);
  }
  publish_gauges();
}

void Node::serve(const Request& r) {
  bool hit = false;
  if (r.write) {
    cache_->access(r.key);  // a write stores the new value (write-through) and pays the backing store
  } else {
    hit = cache_->access(r.key);
    bump(hit ? counters_.hits : counters_.misses);
  }
  const double mean_us = (hit ? service_.hit_us : service_.miss_us) / speed_;
  double us = service_.distribution == ServiceModel::Distribution::exponential ? rng_.exponential(mean_us) : mean_us;
  if (spike_probability_ > 0 && rng_.uniform() < spike_probability_) us += spike_us_;
  const auto ns = static_cast<std::int64_t>(std::llround(us * 1000.0));
  if (ns <= 0) {
    complete(r);
    return;
  }
  const std::size_t index = free_slots_.back();
  free_slots_.pop_back();
  Slot& slot = *slots_[index];
  slot.request = r;
  slot.busy = true;
  const std::uint64_t generation = ++slot.generation;
  ++busy_slots_;
  slot.timer.expires_after(std::chrono::nanoseconds(ns));
  slot.timer.async_wait([this, index, generation](const boost::system::error_code& error) {
    if (!error) finish(index, generation);
  });
}

void Node::finish(std::size_t index, std::uint64_t generation) {
  Slot& slot = *slots_[index];
  // A timer that had already fired when cancel_all ran still delivers success: ignore it.
  if (!slot.busy || slot.generation != generation) return;
  slot.busy = false;
  free_slots_.push_back(index);
  --busy_slots_;
  complete(slot.request);
  pump();
}

void Node::record_latency(std::int64_t intended_ns) {
  const std::int64_t now = clock_.now_ns();
  const auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, now - intended_ns));
  counters_.latency.record(latency);
  bump(counters_.latency_sum_ns, latency);
  if (latency > counters_.latency_max_ns.load(std::memory_order_relaxed))
    counters_.latency_max_ns.store(latency, std::memory_order_relaxed);
}

void Node::complete(const Request& r) {
  if (r.write) {
    write_reported(r, true, false);
    return;
  }
  record_latency(r.intended_ns);
  bump(counters_.completed, 1, std::memory_order_release);
  if (r.client != kNoClient && client_done_) client_done_(r.client);
}

void Node::write_reported(const Request& r, bool acknowledged, bool cancelled) {
  WriteState* w = r.write;
  // Read what is needed before reporting: once this node's report is in, another replica's
  // thread may be the last one and free the state.
  const unsigned replicas = w->replicas;
  bool decided_here = false;
  if (acknowledged) {
    bump(counters_.write_acks, 1, std::memory_order_release);
    if (w->acks.fetch_add(1, std::memory_order_acq_rel) + 1 == w->quorum) {
      record_latency(w->intended_ns);  // a write's latency is its quorum's
      bump(counters_.writes_completed, 1, std::memory_order_release);
      decided_here = true;
    }
  } else {
    bump(cancelled ? counters_.write_attempts_cancelled : counters_.write_attempts_down, 1, std::memory_order_release);
    if (w->fails.fetch_add(1, std::memory_order_acq_rel) + 1 == w->replicas - w->quorum + 1) {
      bump(cancelled ? counters_.writes_failed_cancelled : counters_.writes_failed_quorum, 1, std::memory_order_release);
      decided_here = true;
    }
  }
  if (decided_here && w->client != kNoClient && client_done_) client_done_(w->client);
  if (w->reported.fetch_add(1, std::memory_order_acq_rel) + 1 == replicas) delete w;
}

void Node::cancel(const Request& r) {
  if (r.write) write_reported(r, false, true);
  else bump(counters_.failed_cancelled, 1, std::memory_order_release);
}

void Node::fail(const Request& r) {
  if (r.write) {  // a replica copy: the quorum decides, no retry
    write_reported(r, false, false);
    return;
  }
  if (retry_ && retry_(r)) {
    bump(counters_.retried_out, 1, std::memory_order_release);  // after the other node counted it in
    return;
  }
  bump(counters_.failed_down, 1, std::memory_order_release);
  if (r.client != kNoClient && client_done_) client_done_(r.client);
}

template <class Drop>
void Node::drop_everything(Drop drop) {
  // Requests still in the inbox were issued too: take them in first so they are counted.
  {
    std::lock_guard lock(inbox_mutex_);
    for (const Request& r : inbox_) queue_.push_back(r);
    inbox_.clear();
  }
  for (const Request& r : queue_) drop(r);
  queue_.clear();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = *slots_[i];
    if (!slot.busy) continue;
    slot.busy = false;
    slot.timer.cancel();
    free_slots_.push_back(i);
    drop(slot.request);
  }
  busy_slots_ = 0;
  publish_gauges();
}

void Node::kill() {
  up_.store(false, std::memory_order_release);
  boost::asio::post(io_, [this] {
    down_ = true;
    drop_everything([this](const Request& r) { fail(r); });
    cache_->clear();
  });
}

void Node::revive() {
  boost::asio::post(io_, [this] {
    down_ = false;
    up_.store(true, std::memory_order_release);
  });
}

void Node::set_spikes(double probability, double extra_us) {
  boost::asio::post(io_, [this, probability, extra_us] {
    spike_probability_ = probability;
    spike_us_ = extra_us;
  });
}

void Node::publish_gauges() {
  counters_.queue_length.store(queue_.size(), std::memory_order_relaxed);
  counters_.in_service.store(busy_slots_, std::memory_order_relaxed);
}

void Node::set_speed(double speed) {
  boost::asio::post(io_, [this, speed] { speed_ = speed; });
}

void Node::set_cache_capacity(std::size_t objects) {
  boost::asio::post(io_, [this, objects] { cache_->set_capacity(objects); });
}

void Node::cancel_all() {
  boost::asio::post(io_, [this] {
    cancelled_ = true;
    drop_everything([this](const Request& r) { cancel(r); });
  });
}

void Node::shutdown() {
  if (!thread_.joinable()) return;
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace loadlab
