#pragma once
// The dispatcher: one request from its intended send time to the node(s) it goes to. It draws
// the key, finds the key's partition and replicas when the data is partitioned, fans a write
// out to every replica, and asks the balancer for a read's node — the balancer seeing the
// cluster's load as this dispatcher counts it. Where the request goes is handed to a Sink: the
// real engine batches it for a node thread, the simulator delivers it at the current virtual
// time. Both drivers call this same code, so a seed gives the same key and node sequence on
// either clock (as long as the load the balancer reads is the same).
//
// Threading: every call runs on one thread (the engine's dispatcher thread, or the simulator).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "balancers/balancer.h"
#include "base/random.h"
#include "metrics/node_counters.h"
#include "model/gradient_controller.h"
#include "model/placement.h"
#include "model/replica_balancers.h"
#include "model/request.h"
#include "scenario/scenario.h"
#include "workload/key_distribution.h"

namespace loadlab {

class Dispatcher {
 public:
  class Sink {
   public:
    virtual ~Sink() = default;
    // A request for `node`: a read, or one replica's copy of a write (request.write is set).
    virtual void send(std::size_t node, const Request& request) = 0;
  };

  // `counters` are the nodes' own, read for the load the balancer sees. A driver that passes
  // `reports_load_changes` promises to call load_changed(node) whenever a node's counters
  // move (balancers/balancer.h, "Load tracking"): least-connections then picks in O(log n).
  Dispatcher(const Scenario& scenario, std::span<const NodeCounters* const> counters, Sink& sink,
             bool reports_load_changes = false);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Issues one request; false when the adaptive concurrency limiter blocked it (counted as
  // concurrency_limited) or the balancer had no node for it (counted as no_node).
  bool issue(std::int64_t intended_ns, std::uint32_t client, std::int64_t now_ns);
  // A node finished, failed or received requests outside issue() (the driver's report).
  void load_changed(std::size_t node);
  // The weights the balancers see (health and slow start already applied).
  void set_weights(std::span<const double> effective);
  // Whether health checking is in panic (model/health_monitor.h): requests issued meanwhile
  // are counted as issued in panic.
  void set_panic(bool panic) { panic_ = panic; }

  // Outstanding requests as the balancer reads them: the driver sets the true figure from time
  // to time (after a batch), and each request sent adds one until then.
  void set_total_in_flight(std::uint64_t total) { total_in_flight_ = total; }
  std::uint64_t total_in_flight() const { return total_in_flight_; }
  // Requests sent and not finished, from the counters: O(nodes).
  std::uint64_t outstanding() const;
  // The same figure in O(1), kept up to date by load_changed(): exact only for a driver that
  // reports every change (reports_load_changes), as the simulator does.
  std::uint64_t tracked_outstanding() const { return tracked_total_; }

  std::uint64_t issued() const { return issued_; }
  std::uint64_t writes() const { return writes_; }
  std::uint64_t no_node() const { return no_node_; }
  std::uint64_t concurrency_limited() const { return concurrency_limited_; }
  // The adaptive concurrency limiter in front of the cluster (Scenario::adaptive_concurrency),
  // or null. The nodes report to it when a request it let through ends.
  GradientController* limiter() const { return limiter_.get(); }
  std::uint64_t issued_in_panic() const { return issued_in_panic_; }
  const Balancer& balancer() const { return balancers_->cluster(); }
  const Placement* placement() const { return placement_ ? &*placement_ : nullptr; }

 private:
  class Load;
  void send(std::size_t node, const Request& request);
  std::uint64_t in_flight(std::size_t node) const;

  const Workload workload_;
  std::vector<const NodeCounters*> counters_;
  Sink& sink_;
  KeyDistribution keys_;
  Rng key_rng_, write_rng_;
  std::optional<Placement> placement_;
  std::unique_ptr<ReplicaBalancers> balancers_;
  unsigned quorum_ = 0;
  std::vector<std::uint64_t> dispatched_;  // per node
  std::vector<std::uint64_t> tracked_;     // per node: in flight when load_changed last looked
  std::uint64_t tracked_total_ = 0;        // their sum
  std::uint64_t total_in_flight_ = 0;
  std::int64_t now_ns_ = 0;
  std::unique_ptr<Load> load_;
  std::uint64_t issued_ = 0, writes_ = 0, no_node_ = 0;
  std::unique_ptr<GradientController> limiter_;
  std::uint64_t concurrency_limited_ = 0;
  bool reports_load_changes_ = false;
  bool panic_ = false;
  std::uint64_t issued_in_panic_ = 0;
};

}  // namespace loadlab
