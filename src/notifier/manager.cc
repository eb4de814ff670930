#include "notifier/manager.h"

#include <algorithm>

#include "catalog/catalog.h"
#include "collect/families.h"
#include "log/log.h"
#include "notifier/http_post.h"
#include "notifier/payload.h"

namespace cerniq::notifier {
namespace {

std::vector<std::string> MakeEndpoints(const std::vector<std::string>& base_urls) {
  std::vector<std::string> out;
  for (const std::string& url : base_urls) {
    std::string endpoint = AlertsEndpoint(url);
    // Prometheus deduplicates Alertmanagers by URL.
    if (std::find(out.begin(), out.end(), endpoint) == out.end()) out.push_back(endpoint);
  }
  return out;
}

}  // namespace

std::string AlertsEndpoint(const std::string& base_url) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/api/v2/alerts";
}

Manager::Manager(Options options)
    : options_(std::move(options)), endpoints_(MakeEndpoints(options_.alertmanager_urls)) {
  for (const std::string& e : endpoints_) per_endpoint_[e];  // counters start at 0
  sender_ = std::thread([this] { Loop(); });
}

Manager::~Manager() { Stop(); }

void Manager::Stop(std::chrono::milliseconds drain_for) {
  if (!sender_.joinable()) return;
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    draining_ = drain_for.count() > 0;
    wake_.notify_all();
    if (draining_) {
      if (!queue_.empty()) log::Info("Draining any remaining notifications...");
      wake_.wait_for(lock, drain_for, [this] { return sender_done_; });
      draining_ = false;
    }
  }
  cancelled_ = true;  // aborts a POST in progress
  wake_.notify_all();
  sender_.join();
}

void Manager::Send(std::vector<Alert> alerts) {
  for (Alert& a : alerts) AddExternalLabels(a.labels, options_.external_labels);
  std::lock_guard lock(mu_);
  const size_t capacity = options_.queue_capacity;
  if (alerts.size() > capacity) {  // keep the newest
    const size_t excess = alerts.size() - capacity;
    alerts.erase(alerts.begin(), alerts.begin() + static_cast<std::ptrdiff_t>(excess));
    dropped_ += static_cast<double>(excess);
    log::Warn("Alert batch larger than queue capacity, dropping alerts",
              {{"num_dropped", std::to_string(excess)}});
  }
  if (queue_.size() + alerts.size() > capacity) {  // drop the oldest in favour of newer ones
    const size_t excess = queue_.size() + alerts.size() - capacity;
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(excess));
    dropped_ += static_cast<double>(excess);
    log::Warn("Alert notification queue full, dropping alerts",
              {{"num_dropped", std::to_string(excess)}});
  }
  for (Alert& a : alerts) queue_.push_back(std::move(a));
  wake_.notify_all();
}

size_t Manager::QueueLength() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::vector<Alert> Manager::NextBatch() {
  std::vector<Alert> batch;
  const size_t n = std::min(queue_.size(), kMaxBatchSize);
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void Manager::Loop() {
  for (;;) {
    std::vector<Alert> batch;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && (!draining_ || queue_.empty())) break;
      batch = NextBatch();
    }
    if (!SendAll(batch)) {
      std::lock_guard lock(mu_);
      dropped_ += static_cast<double>(batch.size());
    }
  }
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    log::Warn("Notifications still queued at shutdown dropped",
              {{"count", std::to_string(queue_.size())}});
    dropped_ += static_cast<double>(queue_.size());
    queue_.clear();
  }
  sender_done_ = true;
  wake_.notify_all();
}

// True when at least one Alertmanager accepted the batch (as Prometheus's sendAll).
bool Manager::SendAll(const std::vector<Alert>& batch) {
  const std::string body = EncodeAlerts(batch);
  if (endpoints_.size() == 1) return SendWithRetries(endpoints_[0], body, batch.size());
  std::atomic<int> successes{0};
  std::vector<std::thread> senders;  // concurrently, so one slow Alertmanager delays no other
  for (const std::string& endpoint : endpoints_) {
    senders.emplace_back([&, endpoint] {
      if (SendWithRetries(endpoint, body, batch.size())) ++successes;
    });
  }
  for (std::thread& t : senders) t.join();
  return successes > 0;
}

bool Manager::SendWithRetries(const std::string& endpoint, const std::string& body, size_t count) {
  bool ok = false;
  std::chrono::milliseconds backoff = options_.backoff_initial;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    PostResult r = PostJson(endpoint, body, options_.timeout, cancelled_);
    if (r.ok()) {
      ok = true;
      break;
    }
    {
      std::lock_guard lock(mu_);
      per_endpoint_[endpoint].errors += 1;
    }
    log::Error("Error sending alert", {{"alertmanager", endpoint},
                                       {"count", std::to_string(count)},
                                       {"attempt", std::to_string(attempt)},
                                       {"err", r.error}});
    if (!r.retryable() || attempt == options_.max_attempts || !SleepUnlessStopped(backoff)) break;
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
  std::lock_guard lock(mu_);
  // Prometheus counts the alerts of every batch it tried to send, delivered or not.
  per_endpoint_[endpoint].sent += static_cast<double>(count);
  return ok;
}

bool Manager::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

std::vector<prometheus::MetricFamily> Manager::Families() const {
  using collect::AddSample;
  using collect::MakeFamily;
  namespace names = catalog::names;
  std::vector<prometheus::MetricFamily> out;
  out.reserve(6);  // the references below stay valid
  std::lock_guard lock(mu_);
  auto& sent = out.emplace_back(MakeFamily(names::kNotificationsSent));
  auto& errors = out.emplace_back(MakeFamily(names::kNotificationsErrors));
  for (const auto& [endpoint, c] : per_endpoint_) {
    AddSample(sent, {{"alertmanager", endpoint}}, c.sent);
    AddSample(errors, {{"alertmanager", endpoint}}, c.errors);
  }
  AddSample(out.emplace_back(MakeFamily(names::kNotificationsDropped)), {}, dropped_);
  AddSample(out.emplace_back(MakeFamily(names::kNotificationsQueueLength)), {},
            static_cast<double>(queue_.size()));
  AddSample(out.emplace_back(MakeFamily(names::kNotificationsQueueCapacity)), {},
            static_cast<double>(options_.queue_capacity));
  AddSample(out.emplace_back(MakeFamily(names::kNotificationsAlertmanagers)), {},
            static_cast<double>(endpoints_.size()));
  return out;
}

}  // namespace cerniq::notifier
