#include "http/admin_routes.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "api/params.h"

namespace cerniq::http {
namespace {

Response JsonResponse(int status, const nlohmann::ordered_json& body) {
  return Response{status, "application/json", body.dump(), {}};
}

Response Error(int status, const std::string& message) {
  return JsonResponse(status, {{"error", message}});
}

// The queue named by a path segment, matched against the configured (prefix, queue) pairs;
// `prefix` narrows it when given.
std::optional<std::pair<std::string, std::string>> ConfiguredQueue(const RouteContext& context,
                                                                   const std::string& queue,
                                                                   const std::string& prefix) {
  for (const auto& pq : context.configured_queues) {
    if (pq.second == queue && (prefix.empty() || pq.first == prefix)) return pq;
  }
  return std::nullopt;
}

// 1..100 from ?limit=, 20 when absent; nullopt when it is not a positive integer.
std::optional<int> Limit(const api::Form& form) {
  const std::string text = form.Value("limit");
  if (text.empty()) return kFailedJobsDefaultLimit;
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range && end == text.data() + text.size() && text[0] != '-')
    return kFailedJobsMaxLimit;
  if (ec != std::errc() || end != text.data() + text.size() || v < 1) return std::nullopt;
  return static_cast<int>(std::min<long long>(v, kFailedJobsMaxLimit));
}

nlohmann::ordered_json OptionalNumber(const std::optional<long long>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

Response Workers(collect::AdminReader& reader, const std::pair<std::string, std::string>& pq) {
  std::vector<collect::ClientEntry> workers;
  std::string error;
  if (!reader.Workers(pq.first, pq.second, workers, error)) return Error(503, error);
  auto list = nlohmann::ordered_json::array();
  for (const auto& entry : workers) {
    nlohmann::ordered_json w = nlohmann::ordered_json::object();
    for (const auto& [key, value] : entry) w[key] = value;
    list.push_back(std::move(w));
  }
  return JsonResponse(200, {{"workers", std::move(list)}});
}

Response Failed(collect::AdminReader& reader, const std::pair<std::string, std::string>& pq,
                int limit) {
  std::vector<collect::FailedJob> jobs;
  std::string error;
  if (!reader.FailedJobs(pq.first, pq.second, limit, jobs, error)) return Error(503, error);
  auto list = nlohmann::ordered_json::array();
  for (const auto& j : jobs) {
    list.push_back({{"id", j.id},
                    {"name", j.name},
                    {"failedReason", j.failed_reason},
                    {"attemptsMade", j.attempts_made},
                    {"timestamp", OptionalNumber(j.timestamp)},
                    {"finishedOn", OptionalNumber(j.finished_on)},
                    {"stacktrace", j.stack_first_line}});
  }
  return JsonResponse(200, list);
}

}  // namespace

std::optional<Response> HandleAdminRead(const Request& request, const RouteContext& context) {
  constexpr std::string_view kWorkers = "/api/admin/workers/";
  constexpr std::string_view kQueues = "/api/admin/queues/";
  constexpr std::string_view kFailed = "/failed";
  const std::string& p = request.path;
  std::string segment;
  bool failed = false;
  if (p.starts_with(kWorkers)) {
    segment = p.substr(kWorkers.size());
  } else if (p.starts_with(kQueues) && p.ends_with(kFailed) &&
             p.size() > kQueues.size() + kFailed.size()) {
    segment = p.substr(kQueues.size(), p.size() - kQueues.size() - kFailed.size());
    failed = true;
  } else {
    return std::nullopt;
  }
  if (segment.empty() || segment.find('/') != std::string::npos) return std::nullopt;
  const auto queue = api::QueryUnescape(segment);
  if (!queue) return Error(400, "bad escape in queue name \"" + segment + "\"");
  const api::Form form(request.method, request.query, "", "");
  const auto pq = ConfiguredQueue(context, *queue, form.Value("prefix"));
  if (!pq) return Error(404, "queue \"" + *queue + "\" is not a configured queue");
  std::optional<int> limit = failed ? Limit(form) : kFailedJobsDefaultLimit;
  if (!limit) {
    return Error(400, "limit must be an integer from 1 to " + std::to_string(kFailedJobsMaxLimit) +
                          ", got \"" + form.Value("limit") + "\"");
  }
  if (!context.admin_reader) return Error(503, "Redis reads are not enabled (bullmq is off)");
  return failed ? Failed(*context.admin_reader, *pq, *limit) : Workers(*context.admin_reader, *pq);
}

}  // namespace cerniq::http
