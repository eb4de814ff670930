#pragma once
// The exporter's HTTP endpoints as a pure function of the request and the current snapshot, so
// every route is unit-tested without a socket. Nothing here touches Redis or PostgreSQL.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/metric_family.h>

#include "api/api.h"
#include "collect/admin_reader.h"
#include "collect/snapshot.h"

namespace cerniq::http {

struct Request {
  std::string method = "GET";
  std::string path;
  std::string query;
  std::string body = "";  // POST form bodies of /api/v1/*
  std::string content_type = "";
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;
  // Instead of `body`: a body shared by many answers (/metrics' rendering), which the server
  // compresses once for all of them (GzipCache) and does not copy into each Response.
  std::shared_ptr<const std::string> shared_body = nullptr;

  const std::string& Body() const { return shared_body ? *shared_body : body; }
};

struct RouteContext {
  std::string telemetry_path = "/metrics";
  std::string link_prefix;  // the status page's links start with it (--web.external-url's path)
  // The queues the config names (prefix, queue): /api/admin/queues/etapa5 lists exactly these.
  std::vector<std::pair<std::string, std::string>> configured_queues;
  bool postgres_enabled = false;
  // /api/v1/*: the history's samples (nullptr: 503 until the store is ready), the rule
  // evaluator's state and the query limits.
  api::StorageProvider storage;
  api::RulesProvider rules;
  api::Options api_options;
  // `/`: the status page charts each queue's waiting jobs over this window (the retained
  // history, --storage.retention).
  int64_t status_history_ms = 60 * 60'000;
  // Families appended to every scrape after the snapshot's (the notifier's counters, ...):
  // called on a scraping thread, so each must be quick and must not throw. They are rendered
  // again when the snapshot changes, after POST /-/reload, or when the last rendering is
  // `extra_families_max_age` old, not at every scrape: 200 scrapers share one rendering and gzip.
  using FamiliesProvider = std::function<std::vector<prometheus::MetricFamily>()>;
  std::vector<FamiliesProvider> extra_families;
  std::chrono::milliseconds extra_families_max_age{1000};
  // The clock that ages the rendering (tests set a fake one); null: std::chrono::steady_clock.
  std::function<std::chrono::steady_clock::time_point()> steady_now;
  // Redis reads of /api/admin/workers/<queue> and /api/admin/queues/<queue>/failed
  // (admin_routes.h); null: those answer 503.
  std::shared_ptr<collect::AdminReader> admin_reader;
  // POST/PUT /-/reload as Prometheus's lifecycle API: 403 "Lifecycle API is not enabled."
  // without enable_lifecycle, GET 405; `reload` returns "" or the error (500 "failed to reload
  // config: <error>").
  bool enable_lifecycle = false;
  std::function<std::string()> reload;
};

class Router {
 public:
  Router(RouteContext context, const collect::SnapshotStore& store);
  Response Handle(const Request& request) const;

 private:
  Response Metrics() const;
  Response Landing() const;
  Response Graph(const Request& request) const;
  Response Ready() const;
  Response SourceHealth(const std::string& source, bool enabled) const;
  Response Queues() const;
  Response Reload(const Request& request) const;

  RouteContext context_;
  const collect::SnapshotStore& store_;
  api::Api api_;
  // /metrics' body for the scrapes of one snapshot within extra_families_max_age. The snapshot's
  // own text is kept apart: only the extra families are rendered again when the age runs out.
  struct MetricsRendering {
    std::shared_ptr<const collect::Snapshot> snapshot;
    std::shared_ptr<const std::string> snapshot_text;
    std::chrono::steady_clock::time_point rendered_at;
    std::shared_ptr<const std::string> body;
  };
  std::shared_ptr<const std::string> CachedMetrics(
      const std::shared_ptr<const collect::Snapshot>& snapshot,
      std::chrono::steady_clock::time_point now) const;
  std::shared_ptr<const std::string> RenderMetrics(
      const std::shared_ptr<const collect::Snapshot>& snapshot,
      std::chrono::steady_clock::time_point now) const;
  // After POST /-/reload: the next scrape shows the reload's outcome, not a rendering made before.
  void ForgetMetrics() const;

  mutable std::mutex cache_mutex_;   // guards metrics_ (held for a pointer copy only)
  mutable std::mutex render_mutex_;  // one rendering at a time; the others wait and share it
  mutable MetricsRendering metrics_;
};

// The runbook §1.2 list from a snapshot, one object per configured queue (name, prefix,
// available, its counts, thresholds, healthy): what /api/admin/queues/etapa5 and the status page
// show.
nlohmann::json QueueList(const collect::Snapshot& snapshot,
                         const std::vector<std::pair<std::string, std::string>>& queues);
// {"queues": QueueList(...)} as text (exposed for tests).
std::string QueuesJson(const collect::Snapshot& snapshot,
                       const std::vector<std::pair<std::string, std::string>>& queues);

}  // namespace cerniq::http
