#include "model/node_model.h"

#include <algorithm>
#include <cmath>

#include "model/queue_discipline_registry.h"
#include "model/write_quorum.h"

namespace loadlab {

NodeModel::NodeModel(const NodeSpec& spec, const QueuePolicy& queue, double deadline_ms, std::unique_ptr<Cache> cache,
                     const ServiceModel& service, std::uint64_t seed, ServiceTimers& timers, ClientDone client_done,
                     Retry retry)
    : queue_limit_(queue.limit),
      queue_timeout_ns_(queue.times_out()
                            ? std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(queue.timeout_ms * 1e6)))
                            : kNoWake),
      wake_due_ns_(kNoWake),
      deadline_ns_(std::isinf(deadline_ms) ? kNoWake : static_cast<std::int64_t>(std::llround(deadline_ms * 1e6))),
      discipline_(queue_disciplines().make(queue.discipline, queue.params)),
      drop_([this](const Request& r) { shed(r, Shed::codel_drop); }),
      slots_(spec.slots),
      cache_(std::move(cache)),
      service_(service),
      speed_(spec.speed),
      rng_(seed),
      timers_(timers),
      client_done_(std::move(client_done)),
      retry_(std::move(retry)) {
  // Free slots are taken from the back: slot 0 first.
  for (unsigned i = 0; i < spec.slots; ++i) free_slots_.push_back(spec.slots - 1 - i);
}

void NodeModel::arrive(const Request& r, std::int64_t now_ns) {
  flow(r, FlowEvent::Kind::arrived, now_ns);
  if (cancelled_)
    cancel(r);
  else if (down_)
    fail(r);
  else if (!admit(r))
    shed(r, Shed::overflow);  // max_requests: the cluster has as many outstanding as it may
  else if (queue_.empty() && !free_slots_.empty())
    serve(r, now_ns);  // what pump() would do at once, without the trip through the queue
  else if (queue_.size() >= queue_limit_)
    shed(r, Shed::queue_full);
  else if (!admit_to_queue())
    shed(r, Shed::overflow);  // max_pending: the cluster has as many waiting as it may
  else {
    queue_.push_back(WaitingRequest{r, now_ns});
    discipline_->enqueued(queue_, now_ns);
    ask_for_wake();
  }
  sync_breakers();
}

bool NodeModel::admit(const Request&) {
  if (!breakers_) return true;
  if (!breakers_->try_acquire(CircuitBreakers::Resource::requests)) return false;
  ++held_requests_;
  return true;
}

bool NodeModel::admit_to_queue() {
  if (!breakers_) return true;
  if (!breakers_->try_acquire(CircuitBreakers::Resource::pending)) return false;
  ++held_pending_;
  return true;
}

void NodeModel::sync_breakers() {
  // What the node holds follows what is in its queue and slots: every way out of them
  // (served, completed, shed, dropped, killed, cancelled) gives the units back here, at the
  // moment it happens, so the breakers never count a request twice nor leak one.
  if (!breakers_) return;
  const std::uint64_t occupied = queue_.size() + busy_slots_;
  if (held_requests_ > occupied) {
    breakers_->release(CircuitBreakers::Resource::requests, held_requests_ - occupied);
    held_requests_ = occupied;
  }
  if (held_pending_ > queue_.size()) {
    breakers_->release(CircuitBreakers::Resource::pending, held_pending_ - queue_.size());
    held_pending_ = queue_.size();
  }
}

void NodeModel::release_retry(const Request& r) {
  if (breakers_ && r.retries > 0) breakers_->release(CircuitBreakers::Resource::retries);
}

void NodeModel::ended(const Request& r, std::int64_t answered_ns) {
  release_retry(r);
  if (!limiter_) return;
  if (answered_ns >= 0)
    limiter_->record_latency(r.intended_ns, answered_ns);
  else
    limiter_->cancel_latency_sample();
}

void NodeModel::ask_for_wake() {
  // The oldest request's timeout is the first due: one wake-up at a time is enough, and a
  // wake-up asked for an older request (since served) comes earlier than any still waiting.
  if (queue_timeout_ns_ == kNoWake || queue_.empty() || wake_due_ns_ != kNoWake) return;
  wake_due_ns_ = queue_.front().arrived_ns + queue_timeout_ns_;
  timers_.wake(wake_due_ns_);
}

void NodeModel::wake(std::int64_t due_ns) {
  if (due_ns != wake_due_ns_) return;
  wake_due_ns_ = kNoWake;
  expire(due_ns);
  publish_gauges();
  ask_for_wake();
}

void NodeModel::expire(std::int64_t now_ns) {
  if (queue_timeout_ns_ == kNoWake) return;
  // A request that has waited its whole timeout gives up, even when a slot frees at that
  // same moment: the order of events at one instant does not decide its fate.
  while (!queue_.empty() && queue_.front().arrived_ns + queue_timeout_ns_ <= now_ns) {
    const Request r = queue_.front().request;
    queue_.pop_front();
    shed(r, Shed::queue_timeout);
  }
}

void NodeModel::pump(std::int64_t now_ns) {
  expire(now_ns);
  while (!queue_.empty() && !free_slots_.empty()) {
    const std::optional<WaitingRequest> w = discipline_->next(queue_, now_ns, drop_);
    if (!w) break;  // it dropped what was left
    // Service starts when a slot is free and the request is here, whichever is later.
    serve(w->request, std::max(now_ns, w->arrived_ns));
  }
  publish_gauges();
  ask_for_wake();
}

void NodeModel::serve(const Request& r, std::int64_t start_ns) {
  bool hit = false;
  if (r.write) {
    cache_->access(r.key);  // a write stores the new value (write-through) and pays the backing store
  } else {
    hit = cache_->access(r.key);
    bump(hit ? counters_.hits : counters_.misses);
  }
  flow(r, hit ? FlowEvent::Kind::started_hit : FlowEvent::Kind::started_miss, start_ns);
  double us = service_.sample_us(hit, rng_, speed_);
  if (spike_probability_ > 0 && rng_.uniform() < spike_probability_) us += spike_us_;
  const auto ns = static_cast<std::int64_t>(std::llround(us * 1000.0));
  if (ns <= 0) {
    complete(r, start_ns);
    return;
  }
  const std::size_t index = free_slots_.back();
  free_slots_.pop_back();
  Slot& slot = slots_[index];
  slot.request = r;
  slot.busy = true;
  ++busy_slots_;
  timers_.start(index, ++slot.generation, start_ns + ns);
}

void NodeModel::finish(std::size_t index, std::uint64_t generation, std::int64_t now_ns) {
  Slot& slot = slots_[index];
  // A completion that was already on its way when the slot was emptied: ignore it.
  if (!slot.busy || slot.generation != generation) return;
  slot.busy = false;
  free_slots_.push_back(index);
  --busy_slots_;
  complete(slot.request, now_ns);
  pump(now_ns);
}

void NodeModel::record_latency(std::int64_t intended_ns, std::int64_t now_ns) {
  const auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, now_ns - intended_ns));
  counters_.latency.record(latency);
  if (deadline_ns_ != kNoWake && latency <= static_cast<std::uint64_t>(deadline_ns_)) bump(counters_.within_deadline);
  bump(counters_.latency_sum_ns, latency);
  if (latency > counters_.latency_max_ns.load(std::memory_order_relaxed))
    counters_.latency_max_ns.store(latency, std::memory_order_relaxed);
}

void NodeModel::complete(const Request& r, std::int64_t now_ns) {
  if (r.write) {
    write_reported(r, CopyOutcome::acknowledged, now_ns);
    return;
  }
  ended(r, now_ns);
  record_latency(r.intended_ns, now_ns);
  flow(r, FlowEvent::Kind::completed, now_ns);
  bump(counters_.completed, 1, std::memory_order_release);
  if (r.client != kNoClient && client_done_) client_done_(r.client);
}

void NodeModel::write_reported(const Request& r, CopyOutcome outcome, std::int64_t now_ns) {
  WriteState* w = r.write;
  // Read what is needed before reporting: once this node's report is in, another replica's
  // thread may be the last one and free the state.
  const unsigned replicas = w->replicas;
  bool decided_here = false;
  const bool cancelled = outcome == CopyOutcome::cancelled;
  if (outcome == CopyOutcome::acknowledged) {
    bump(counters_.write_acks, 1, std::memory_order_release);
    if (w->acks.fetch_add(1, std::memory_order_acq_rel) + 1 == w->quorum) {
      record_latency(w->intended_ns, now_ns);  // a write's latency is its quorum's
      bump(counters_.writes_completed, 1, std::memory_order_release);
      decided_here = true;
    }
  } else {
    bump(cancelled                      ? counters_.write_attempts_cancelled
         : outcome == CopyOutcome::shed ? counters_.write_attempts_shed
                                        : counters_.write_attempts_down,
         1, std::memory_order_release);
    if (w->fails.fetch_add(1, std::memory_order_acq_rel) + 1 == w->replicas - w->quorum + 1) {
      bump(cancelled ? counters_.writes_failed_cancelled : counters_.writes_failed_quorum, 1,
           std::memory_order_release);
      decided_here = true;
    }
  }
  if (decided_here && limiter_) {
    if (outcome == CopyOutcome::acknowledged)
      limiter_->record_latency(w->intended_ns, now_ns);
    else
      limiter_->cancel_latency_sample();
  }
  if (decided_here && w->client != kNoClient && client_done_) client_done_(w->client);
  if (w->reported.fetch_add(1, std::memory_order_acq_rel) + 1 == replicas) delete w;
}

void NodeModel::cancel(const Request& r) {
  if (r.write) {
    write_reported(r, CopyOutcome::cancelled, 0);
    return;
  }
  ended(r, -1);
  flow(r, FlowEvent::Kind::failed, 0);
  bump(counters_.failed_cancelled, 1, std::memory_order_release);
}

void NodeModel::fail(const Request& r) {
  if (r.write) {  // a replica copy: the quorum decides, no retry
    write_reported(r, CopyOutcome::down, 0);
    return;
  }
  flow(r, FlowEvent::Kind::failed, 0);  // here; a retry arrives at its next node as itself
  release_retry(r);                     // its retry is over; another one takes a retry of its own
  const RetryOutcome retried = retry_ ? retry_(r) : RetryOutcome::not_retried;
  if (retried == RetryOutcome::retried) {
    bump(counters_.retried_out, 1, std::memory_order_release);  // after the other node counted it in
    return;
  }
  if (limiter_) limiter_->cancel_latency_sample();  // its retry was given back above
  bump(retried == RetryOutcome::overflow ? counters_.failed_overflow : counters_.failed_down, 1,
       std::memory_order_release);
  if (r.client != kNoClient && client_done_) client_done_(r.client);
}

void NodeModel::shed(const Request& r, Shed why) {
  if (r.write) {  // a replica copy: the quorum decides
    write_reported(r, CopyOutcome::shed, 0);
    return;
  }
  ended(r, -1);
  flow(r, FlowEvent::Kind::failed, 0);
  bump(why == Shed::queue_full      ? counters_.failed_queue_full
       : why == Shed::queue_timeout ? counters_.failed_queue_timeout
       : why == Shed::overflow      ? counters_.failed_overflow
                                    : counters_.failed_codel_drop,
       1, std::memory_order_release);
  if (r.client != kNoClient && client_done_) client_done_(r.client);
}

template <class Drop>
void NodeModel::drop_everything(Drop drop) {
  // Take the slots' requests out before dropping anything: a drop may retry a request on
  // another node, and must find this one in a consistent state.
  std::vector<Request> dropped;
  for (const WaitingRequest& w : queue_) dropped.push_back(w.request);
  queue_.clear();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (!slot.busy) continue;
    slot.busy = false;
    timers_.cancel(i);
    free_slots_.push_back(i);
    dropped.push_back(slot.request);
  }
  busy_slots_ = 0;
  publish_gauges();
  for (const Request& r : dropped) drop(r);
}

void NodeModel::kill(std::int64_t) {
  down_ = true;
  drop_everything([this](const Request& r) { fail(r); });
  cache_->clear();
}

void NodeModel::revive() { down_ = false; }

void NodeModel::cancel_all(std::int64_t) {
  cancelled_ = true;
  drop_everything([this](const Request& r) { cancel(r); });
}

void NodeModel::publish_gauges() {
  counters_.queue_length.store(queue_.size(), std::memory_order_relaxed);
  counters_.in_service.store(busy_slots_, std::memory_order_relaxed);
  sync_breakers();
}

}  // namespace loadlab
