#include "http/routes.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "api/params.h"
#include "catalog/catalog.h"
#include "catalog/runbook.h"
#include "cerniq_version.h"
#include "collect/exposition.h"
#include "gocompat/html_escape.h"
#include "gocompat/query_escape.h"
#include "http/admin_routes.h"
#include "http/status_page.h"

namespace cerniq::http {
namespace {

using namespace catalog::names;
constexpr const char* kJson = "application/json";

Response Json(int status, const nlohmann::json& body) {
  return Response{status, kJson, body.dump(), {}};
}

std::string LabelValue(const prometheus::ClientMetric& m, std::string_view name) {
  for (const auto& l : m.label) {
    if (l.name == name) return l.value;
  }
  return "";
}

}  // namespace

Router::Router(RouteContext context, const collect::SnapshotStore& store)
    : context_(std::move(context)),
      store_(store),
      api_(context_.api_options, context_.storage, context_.rules) {}

Response Router::Handle(const Request& request) const {
  constexpr std::string_view kApi = "/api/v1";
  if (request.path.rfind(kApi, 0) == 0 && request.path.size() > kApi.size() &&
      request.path[kApi.size()] == '/') {
    api::Response r = api_.Handle({request.method, request.path.substr(kApi.size()), request.query,
                                   request.body, request.content_type});
    return Response{
        r.status, r.content_type, std::move(r.body), {r.headers.begin(), r.headers.end()}};
  }
  if (request.path == "/-/reload") return Reload(request);
  if (request.method != "GET" && request.method != "HEAD") {
    Response r{405, "text/plain; charset=utf-8", "method not allowed\n", {{"Allow", "GET, HEAD"}}};
    return r;
  }
  const std::string& p = request.path;
  if (p == context_.telemetry_path) return Metrics();
  if (p == "/") return Landing();
  if (p == "/graph") return Graph(request);
  if (p == "/health") return Json(200, {{"status", "healthy"}});
  if (p == "/-/healthy") return Response{200, "text/plain; charset=utf-8", "Healthy\n", {}};
  if (p == "/-/ready") return Ready();
  if (p == "/health/redis") return SourceHealth("redis", true);
  if (p == "/health/db") return SourceHealth("postgres", context_.postgres_enabled);
  if (p == "/api/admin/queues/etapa5") return Queues();
  if (auto admin = HandleAdminRead(request, context_)) return *admin;
  return Response{404, "text/plain; charset=utf-8", "404 page not found\n", {}};
}

Response Router::Metrics() const {
  auto snapshot = store_.Current();
  auto now = context_.steady_now ? context_.steady_now() : std::chrono::steady_clock::now();
  auto body = CachedMetrics(snapshot, now);
  if (!body) {
    // Scrapers that arrive while another renders wait here, then take its rendering. The
    // snapshot is read again: one published meanwhile must not be replaced by an older one.
    std::lock_guard<std::mutex> rendering(render_mutex_);
    snapshot = store_.Current();
    body = CachedMetrics(snapshot, now);
    if (!body) body = RenderMetrics(snapshot, now);
  }
  Response r{200, collect::kTextContentType, "", {}};
  r.shared_body = std::move(body);
  return r;
}

std::shared_ptr<const std::string> Router::CachedMetrics(
    const std::shared_ptr<const collect::Snapshot>& snapshot,
    std::chrono::steady_clock::time_point now) const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (metrics_.body && metrics_.snapshot == snapshot &&
      (context_.extra_families.empty() ||
       now - metrics_.rendered_at < context_.extra_families_max_age))
    return metrics_.body;
  return nullptr;
}

// Called under render_mutex_: metrics_ changes only here, so reading it unlocked is safe.
std::shared_ptr<const std::string> Router::RenderMetrics(
    const std::shared_ptr<const collect::Snapshot>& snapshot,
    std::chrono::steady_clock::time_point now) const {
  auto snapshot_text = metrics_.snapshot == snapshot ? metrics_.snapshot_text : nullptr;
  if (!snapshot_text) {
    snapshot_text = std::make_shared<const std::string>(
        collect::RenderText(collect::SnapshotFamilies(*snapshot)));
  }
  auto body = snapshot_text;
  if (!context_.extra_families.empty()) {
    std::vector<prometheus::MetricFamily> extra;
    for (const auto& provider : context_.extra_families) {
      for (auto& f : provider()) extra.push_back(std::move(f));
    }
    body = std::make_shared<const std::string>(*snapshot_text + collect::RenderText(extra));
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  metrics_ = {snapshot, snapshot_text, now, body};
  return body;
}

void Router::ForgetMetrics() const {
  std::lock_guard<std::mutex> rendering(render_mutex_);  // the same order as Metrics()
  std::lock_guard<std::mutex> lock(cache_mutex_);
  metrics_.body = nullptr;  // the snapshot's text stays valid
}

Response Router::Reload(const Request& request) const {
  constexpr const char* kText = "text/plain; charset=utf-8";
  if (request.method != "POST" && request.method != "PUT") {
    return Response{405, kText, "Only POST or PUT requests allowed", {}};
  }
  if (!context_.enable_lifecycle || !context_.reload) {
    return Response{403, kText, "Lifecycle API is not enabled.", {}};
  }
  std::string error = context_.reload();
  ForgetMetrics();
  if (!error.empty()) {
    return Response{500,
                    kText,
                    "failed to reload config: " + error + "\n",
                    {{"X-Content-Type-Options", "nosniff"}}};
  }
  return Response{200, kText, "", {}};
}

Response Router::Landing() const {
  StatusPageInputs in;
  in.snapshot = store_.Current();
  in.queues = context_.configured_queues;
  if (context_.rules) in.rule_groups = context_.rules();
  in.storage = context_.storage;
  in.now_ms = context_.api_options.now_ms ? context_.api_options.now_ms()
                                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count();
  in.history_ms = context_.status_history_ms;
  in.telemetry_path = context_.telemetry_path;
  in.link_prefix = context_.link_prefix;
  in.version = kVersion;
  in.revision = kRevision;
  return Response{200, "text/html; charset=utf-8", RenderStatusPage(in), {}};
}

// Alerts' generatorURL points at Prometheus's expression browser; the exporter has none, so
// its first expression (g0.expr) goes to /api/v1/query, and no expression to the status page.
Response Router::Graph(const Request& request) const {
  const std::string expr = api::Form("GET", request.query, "", "").Value("g0.expr");
  const std::string location =
      context_.link_prefix +
      (expr.empty() ? "/" : "/api/v1/query?query=" + gocompat::QueryEscape(expr));
  return Response{302,
                  "text/html; charset=utf-8",
                  "<a href=\"" + gocompat::HtmlEscapeString(location) + "\">Found</a>.\n",
                  {{"Location", location}}};
}

Response Router::Ready() const {
  if (store_.Current()->Ready()) return Response{200, "text/plain; charset=utf-8", "Ready\n", {}};
  return Response{503, "text/plain; charset=utf-8", "Not ready: first collection pending\n", {}};
}

Response Router::SourceHealth(const std::string& source, bool enabled) const {
  auto up = store_.Current()->SourcesUp();
  auto it = up.find(source);
  bool connected = enabled && it != up.end() && it->second;
  nlohmann::json body = {{"connected", connected}};
  if (!enabled) body["enabled"] = false;
  return Json(connected ? 200 : 503, body);
}

Response Router::Queues() const {
  return Response{200, kJson, QueuesJson(*store_.Current(), context_.configured_queues), {}};
}

nlohmann::json QueueList(const collect::Snapshot& snapshot,
                         const std::vector<std::pair<std::string, std::string>>& queues) {
  // (prefix, queue) -> field -> value, from the same families /metrics serves.
  std::map<std::pair<std::string, std::string>, std::map<std::string, double>> values;
  static const std::vector<std::pair<std::string_view, const char*>> kFields = {
      {kQueueWaiting, "waiting"},         {kQueueActive, "active"},
      {kQueueFailed, "failed"},           {kQueueDelayed, "delayed"},
      {kQueuePrioritized, "prioritized"}, {kQueueWaitingChildren, "waiting_children"},
      {kQueueCompleted, "completed"},     {kQueuePaused, "paused"},
      {kWorkersActive, "workers"},        {kQueueOldestWaitingAge, "oldest_waiting_age_seconds"}};
  auto bullmq = snapshot.collectors.find("bullmq");
  bool have_data = bullmq != snapshot.collectors.end() && bullmq->second->success;
  if (have_data) {
    for (const auto& family : bullmq->second->families) {
      for (const auto& [metric_name, field] : kFields) {
        if (family.name != metric_name) continue;
        for (const auto& m : family.metric) {
          values[{LabelValue(m, "prefix"), LabelValue(m, "queue")}][field] = m.gauge.value;
        }
      }
    }
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& key : queues) {
    nlohmann::json q = {{"name", key.second}, {"prefix", key.first}};
    auto it = values.find(key);
    if (it == values.end()) {
      q["available"] = false;  // Redis unreachable or first pass pending: no numbers, not zeros
    } else {
      for (const auto& [field, v] : it->second) {
        if (field == "paused") {
          q[field] = v != 0;
        } else if (field == "oldest_waiting_age_seconds") {
          q[field] = v;
        } else {
          q[field] = static_cast<long long>(v);
        }
      }
      q["available"] = true;
    }
    if (auto t = catalog::ThresholdFor(key.second)) {
      q["thresholds"] = {{"waiting_below", t->waiting_below}, {"failed_below", t->failed_below}};
      if (it != values.end()) {
        q["healthy"] =
            it->second["waiting"] < t->waiting_below && it->second["failed"] < t->failed_below;
      }
    }
    list.push_back(std::move(q));
  }
  return list;
}

std::string QueuesJson(const collect::Snapshot& snapshot,
                       const std::vector<std::pair<std::string, std::string>>& queues) {
  return nlohmann::json{{"queues", QueueList(snapshot, queues)}}.dump();
}

}  // namespace cerniq::http
