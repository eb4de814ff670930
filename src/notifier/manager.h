#pragma once
// Sends alerts to Alertmanagers as Prometheus 2.42's notifier.Manager does: external labels
// added, a bounded queue that drops the oldest alerts when full, batches of at most 64 alerts,
// one POST per Alertmanager to /api/v2/alerts. A dedicated sender thread does all network I/O,
// so Send() never blocks on an Alertmanager. Unlike Prometheus, a failed POST is retried a few
// times with exponential backoff before the batch counts as dropped. At shutdown the queue may be
// drained, bounded in time (Prometheus 2.54's --alertmanager.drain-notification-queue-on-shutdown;
// 2.42 drops it).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/metric_family.h>

#include "notifier/alert.h"

namespace cerniq::notifier {

inline constexpr size_t kMaxBatchSize = 64;

struct Options {
  std::vector<std::string> alertmanager_urls;  // base URLs, e.g. http://am:9093 or .../prefix
  LabelSet external_labels;                    // sorted by name
  size_t queue_capacity = 10000;               // --alertmanager.notification-queue-capacity
  std::chrono::milliseconds timeout{10000};    // per POST
  int max_attempts = 3;                        // POSTs per batch and Alertmanager
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{5000};
};

// base URL + "/api/v2/alerts" (Prometheus's postPath: path.Join of the prefix and the endpoint).
std::string AlertsEndpoint(const std::string& base_url);

class Manager {
 public:
  explicit Manager(Options options);  // starts the sender thread
  ~Manager();                         // Stop()
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Queues alerts (copies); returns at once. Safe from any thread.
  void Send(std::vector<Alert> alerts);
  // Stops the sender thread. With `drain_for` > 0 the alerts queued are sent first (one attempt
  // per batch and Alertmanager), for at most `drain_for`; then a POST in progress is aborted and
  // whatever is still queued counts as dropped. Idempotent.
  void Stop(std::chrono::milliseconds drain_for = std::chrono::milliseconds(0));

  size_t QueueLength() const;
  const std::vector<std::string>& Endpoints() const { return endpoints_; }
  // cerniq_notifications_* families for the exporter's own metrics.
  std::vector<prometheus::MetricFamily> Families() const;

 private:
  struct Counters {
    double sent = 0;
    double errors = 0;
  };

  void Loop();
  std::vector<Alert> NextBatch();
  bool SendAll(const std::vector<Alert>& batch);
  bool SendWithRetries(const std::string& endpoint, const std::string& body, size_t count);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);

  const Options options_;
  const std::vector<std::string> endpoints_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Alert> queue_;
  std::map<std::string, Counters> per_endpoint_;
  double dropped_ = 0;
  bool stopping_ = false;
  bool draining_ = false;     // stopping, but the queue is sent first
  bool sender_done_ = false;  // the sender thread left its loop
  std::atomic<bool> cancelled_{false};
  std::thread sender_;
};

}  // namespace cerniq::notifier
