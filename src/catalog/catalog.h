#pragma once
// The metric catalogue: every metric the exporter can expose, with its type, help and labels.
// One source of truth: the collectors build their families from these definitions, the linter
// checks rule and dashboard selectors against them, `--print-metrics` prints them.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::catalog {

enum class Type { kGauge, kCounter, kHistogram };

struct Metric {
  std::string_view name;
  Type type;
  std::string_view help;
  std::vector<std::string_view> labels;  // not counting `le` of histograms
  std::string_view collector;            // which collector publishes it
};

// All metrics, in a stable order (the README table follows it).
std::span<const Metric> All();

// Finds a metric by its family name; for histograms also by `_bucket`, `_sum` and `_count`.
const Metric* Find(std::string_view series_name);

std::string_view TypeName(Type type);  // "gauge", "counter", "histogram"

// Markdown table of the catalogue (used by the README and `--print-metrics=markdown`).
std::string MarkdownTable();

// Names used by code, so a typo is a compile error rather than a missing series.
namespace names {
inline constexpr std::string_view kQueueWaiting = "bullmq_queue_waiting";
inline constexpr std::string_view kQueueActive = "bullmq_queue_active";
inline constexpr std::string_view kQueueDelayed = "bullmq_queue_delayed";
inline constexpr std::string_view kQueuePrioritized = "bullmq_queue_prioritized";
inline constexpr std::string_view kQueueWaitingChildren = "bullmq_queue_waiting_children";
inline constexpr std::string_view kQueueFailed = "bullmq_queue_failed";
inline constexpr std::string_view kQueueCompleted = "bullmq_queue_completed";
inline constexpr std::string_view kQueuePaused = "bullmq_queue_paused";
inline constexpr std::string_view kQueueOldestWaitingAge =
    "bullmq_queue_oldest_waiting_age_seconds";
inline constexpr std::string_view kWorkersActive = "bullmq_workers_active";
inline constexpr std::string_view kJobsCompletedTotal = "bullmq_jobs_completed_total";
inline constexpr std::string_view kJobsFailedTotal = "bullmq_jobs_failed_total";
inline constexpr std::string_view kJobsAddedTotal = "bullmq_jobs_added_total";
inline constexpr std::string_view kLlmRateLimitRemaining = "llm_rate_limit_remaining";
inline constexpr std::string_view kChurnScore = "nurturing_client_churn_score";
inline constexpr std::string_view kClients = "nurturing_clients";
inline constexpr std::string_view kHitlSlaBreachedTotal = "hitl_sla_breached_total";
inline constexpr std::string_view kHitlTasksPending = "hitl_tasks_pending";
inline constexpr std::string_view kHitlTasksOverdue = "hitl_tasks_overdue";
inline constexpr std::string_view kHitlResolutionTime = "hitl_task_resolution_time_seconds";
inline constexpr std::string_view kGraphBuildFailuresTotal = "graph_build_failures_total";
inline constexpr std::string_view kGraphBuildLastSuccess =
    "graph_build_last_success_timestamp_seconds";
inline constexpr std::string_view kReferralStatus = "referral_status";
inline constexpr std::string_view kNpsScore = "nps_score";
inline constexpr std::string_view kCronLastRun = "cerniq_cron_job_last_run_timestamp_seconds";
inline constexpr std::string_view kCronNextRun = "cerniq_cron_job_next_run_timestamp_seconds";
inline constexpr std::string_view kWorkerErrorsTotal = "worker_errors_total";
inline constexpr std::string_view kSpatialQueriesActive = "cerniq_pg_spatial_queries_active";
inline constexpr std::string_view kSpatialQueryMaxDuration =
    "cerniq_pg_spatial_query_max_duration_seconds";
inline constexpr std::string_view kNextPartitionExists =
    "cerniq_nurturing_actions_next_partition_exists";
inline constexpr std::string_view kServiceUp = "cerniq_service_up";
inline constexpr std::string_view kUp = "cerniq_up";
inline constexpr std::string_view kCollectorSuccess = "cerniq_scrape_collector_success";
inline constexpr std::string_view kCollectorDuration = "cerniq_scrape_collector_duration_seconds";
inline constexpr std::string_view kCollectorLastSuccess =
    "cerniq_scrape_collector_last_success_timestamp_seconds";
inline constexpr std::string_view kCollectorPasses = "cerniq_collector_passes_total";
inline constexpr std::string_view kCollectorFailures = "cerniq_collector_failures_total";
inline constexpr std::string_view kLimitReached = "cerniq_limit_reached_total";
inline constexpr std::string_view kBuildInfo = "cerniq_exporter_build_info";
inline constexpr std::string_view kNotificationsSent = "cerniq_notifications_sent_total";
inline constexpr std::string_view kNotificationsErrors = "cerniq_notifications_errors_total";
inline constexpr std::string_view kNotificationsDropped = "cerniq_notifications_dropped_total";
inline constexpr std::string_view kNotificationsQueueLength = "cerniq_notifications_queue_length";
inline constexpr std::string_view kNotificationsQueueCapacity =
    "cerniq_notifications_queue_capacity";
inline constexpr std::string_view kNotificationsAlertmanagers =
    "cerniq_notifications_alertmanagers_discovered";
}  // namespace names

}  // namespace cerniq::catalog
