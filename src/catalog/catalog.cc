#include "catalog/catalog.h"

#include <sstream>

namespace cerniq::catalog {
namespace {

using namespace names;
using enum Type;

// clang-format off
const std::vector<Metric>& Table() {
  static const std::vector<Metric> table = {
    {kQueueWaiting, kGauge, "Jobs waiting to run: LLEN wait + LLEN paused (BullMQ 5 and 6 layouts); prioritized jobs not included.", {"prefix", "queue"}, "bullmq"},
    {kQueueActive, kGauge, "Jobs being processed (LLEN active).", {"prefix", "queue"}, "bullmq"},
    {kQueueDelayed, kGauge, "Delayed jobs (ZCARD delayed).", {"prefix", "queue"}, "bullmq"},
    {kQueuePrioritized, kGauge, "Ready jobs with a priority (ZCARD prioritized).", {"prefix", "queue"}, "bullmq"},
    {kQueueWaitingChildren, kGauge, "Parent jobs waiting for their children (ZCARD waiting-children).", {"prefix", "queue"}, "bullmq"},
    {kQueueFailed, kGauge, "Failed jobs kept in Redis (ZCARD failed); shrinks with removeOnFail and clean.", {"prefix", "queue"}, "bullmq"},
    {kQueueCompleted, kGauge, "Completed jobs kept in Redis (ZCARD completed); shrinks with removeOnComplete and clean.", {"prefix", "queue"}, "bullmq"},
    {kQueuePaused, kGauge, "1 when the queue is paused (HEXISTS meta paused), else 0.", {"prefix", "queue"}, "bullmq"},
    {kQueueOldestWaitingAge, kGauge, "Seconds since the next waiting job became ready (0 when nothing waits).", {"prefix", "queue"}, "bullmq"},
    {kWorkersActive, kGauge, "Worker connections of the queue (CLIENT LIST names <prefix>:<base64(queue)> or ...:w:<name>).", {"prefix", "queue"}, "bullmq"},
    {kJobsCompletedTotal, kCounter, "Jobs completed by metrics-enabled workers (HGET metrics:completed count).", {"prefix", "queue"}, "bullmq"},
    {kJobsFailedTotal, kCounter, "Jobs finally failed under metrics-enabled workers (HGET metrics:failed count).", {"prefix", "queue"}, "bullmq"},
    {kJobsAddedTotal, kCounter, "Jobs added to the queue (GET id).", {"prefix", "queue"}, "bullmq"},
    {kLlmRateLimitRemaining, kGauge, "Remaining LLM API requests in the current rate-limit window (Redis key).", {}, "llm_rate_limit"},
    {kChurnScore, kHistogram, "Per-client churn score (0-100), bucketed in SQL.", {}, "churn"},
    {kClients, kGauge, "Clients per nurturing lifecycle state.", {"state"}, "clients"},
    {kHitlSlaBreachedTotal, kCounter, "E5 approval tasks decided after due_at, live and archived.", {"approval_type"}, "hitl"},
    {kHitlTasksPending, kGauge, "E5 approval tasks with status pending.", {"approval_type"}, "hitl"},
    {kHitlTasksOverdue, kGauge, "Pending E5 approval tasks past due_at.", {"approval_type"}, "hitl"},
    {kHitlResolutionTime, kGauge, "Mean decided_at - created_at of E5 tasks decided within the window, in seconds.", {"task_type"}, "hitl"},
    {kGraphBuildFailuresTotal, kCounter, "Failed graph builds, all time.", {}, "graph"},
    {kGraphBuildLastSuccess, kGauge, "Finish time of the last successful graph build (Unix seconds).", {}, "graph"},
    {kReferralStatus, kGauge, "Referrals per status.", {"status"}, "referrals"},
    {kNpsScore, kGauge, "Mean NPS score per category over the window.", {"nps_category"}, "nps"},
    {kCronLastRun, kGauge, "Last run of an e5_% cron job (Unix seconds).", {"job_name"}, "cron"},
    {kCronNextRun, kGauge, "Next planned run of an e5_% cron job (Unix seconds).", {"job_name"}, "cron"},
    {kWorkerErrorsTotal, kCounter, "Worker errors recorded per queue, all time.", {"queue"}, "worker_errors"},
    {kSpatialQueriesActive, kGauge, "Active PostgreSQL queries using ST_ functions.", {}, "spatial"},
    {kSpatialQueryMaxDuration, kGauge, "Longest running active ST_ query, in seconds.", {}, "spatial"},
    {kNextPartitionExists, kGauge, "1 when next month's partition of gold_nurturing_actions_partitioned exists.", {}, "partitions"},
    {kServiceUp, kGauge, "1 when the service's health endpoint answered as expected.", {"service"}, "probe"},
    {kUp, kGauge, "1 when the last collection from the source reached it.", {"source"}, "self"},
    {kCollectorSuccess, kGauge, "1 when the collector's last pass succeeded.", {"collector"}, "self"},
    {kCollectorDuration, kGauge, "Duration of the collector's last pass, in seconds.", {"collector"}, "self"},
    {kCollectorLastSuccess, kGauge, "End of the collector's last successful pass (Unix seconds).", {"collector"}, "self"},
    {kCollectorPasses, kCounter, "Passes the collector ran since the exporter started, failed ones included.", {"collector"}, "self"},
    {kCollectorFailures, kCounter, "Passes of the collector that failed since the exporter started.", {"collector"}, "self"},
    {kLimitReached, kCounter, "Times a limit of the exporter was reached and the excess dropped (logged once per limit).", {"limit"}, "self"},
    {kBuildInfo, kGauge, "A metric with a constant '1' value labeled by version, revision, branch, and the compiler cerniq_exporter was built with.", {"version", "revision", "branch", "compiler"}, "self"},
    {"process_cpu_seconds_total", kCounter, "Total user and system CPU time spent in seconds.", {}, "self"},
    {"process_open_fds", kGauge, "Number of open file descriptors.", {}, "self"},
    {"process_max_fds", kGauge, "Maximum number of open file descriptors.", {}, "self"},
    {"process_virtual_memory_bytes", kGauge, "Virtual memory size in bytes.", {}, "self"},
    {"process_virtual_memory_max_bytes", kGauge, "Maximum amount of virtual memory available in bytes.", {}, "self"},
    {"process_resident_memory_bytes", kGauge, "Resident memory size in bytes.", {}, "self"},
    {"process_start_time_seconds", kGauge, "Start time of the process since unix epoch in seconds.", {}, "self"},
    {"process_threads", kGauge, "Number of OS threads in the process.", {}, "self"},
    {kNotificationsSent, kCounter, "Total number of alerts sent (every batch tried, delivered or not, as Prometheus counts).", {"alertmanager"}, "notifier"},
    {kNotificationsErrors, kCounter, "Total number of errors sending alert notifications (each failed POST, retries included).", {"alertmanager"}, "notifier"},
    {kNotificationsDropped, kCounter, "Total number of alerts dropped due to errors when sending to Alertmanager or a full queue.", {}, "notifier"},
    {kNotificationsQueueLength, kGauge, "The number of alert notifications in the queue.", {}, "notifier"},
    {kNotificationsQueueCapacity, kGauge, "The capacity of the alert notifications queue.", {}, "notifier"},
    {kNotificationsAlertmanagers, kGauge, "The number of alertmanagers discovered and active.", {}, "notifier"},
    {"cerniq_rule_group_last_duration_seconds", kGauge, "Duration of the rule group's last evaluation, in seconds.", {"rule_group"}, "self"},
    {"cerniq_rule_group_last_evaluation_timestamp_seconds", kGauge, "Start of the rule group's last evaluation (Unix seconds); 0 before the first.", {"rule_group"}, "self"},
    {"cerniq_rule_group_interval_seconds", kGauge, "The rule group's evaluation interval, in seconds.", {"rule_group"}, "self"},
    {"cerniq_rule_group_rules", kGauge, "Rules in the rule group.", {"rule_group"}, "self"},
    {"cerniq_rule_group_iterations_total", kCounter, "Scheduled evaluations of the rule group, missed ones included.", {"rule_group"}, "self"},
    {"cerniq_rule_group_iterations_missed_total", kCounter, "Evaluations of the rule group skipped because the previous one ran late.", {"rule_group"}, "self"},
    {"cerniq_rule_evaluations_total", kCounter, "Rule evaluations.", {"rule_group"}, "self"},
    {"cerniq_rule_evaluation_failures_total", kCounter, "Rule evaluations whose query failed.", {"rule_group"}, "self"},
    {"cerniq_alerts", kGauge, "Alerts of the local rule evaluator per state.", {"state"}, "self"},
    {"cerniq_rules_config_last_reload_successful", kGauge, "1 when the last load of the rule files succeeded.", {}, "self"},
    {"cerniq_rules_config_last_reload_success_timestamp_seconds", kGauge, "Time of the last successful load of the rule files (Unix seconds).", {}, "self"},
    {"cerniq_storage_series", kGauge, "Series in the history (collected series and rule output).", {}, "self"},
    {"cerniq_storage_samples", kGauge, "Samples in the history.", {}, "self"},
    {"cerniq_storage_chunks", kGauge, "Compressed chunks in the history.", {}, "self"},
    {"cerniq_storage_bytes", kGauge, "Memory of the history: chunk bytes plus an estimate of series, labels and indexes.", {}, "self"},
    {"cerniq_storage_chunk_bytes", kGauge, "Bytes of encoded chunk data in the history.", {}, "self"},
    {"cerniq_storage_samples_appended_total", kCounter, "Samples appended to the history.", {}, "self"},
    {"cerniq_storage_samples_rejected_total", kCounter, "Samples refused by the history, by reason (out_of_order, duplicate).", {"reason"}, "self"},
    {"cerniq_storage_chunks_removed_total", kCounter, "Chunks dropped from the history, by reason (retention, max_bytes).", {"reason"}, "self"},
    {"cerniq_storage_series_removed_total", kCounter, "Series removed from the history with no sample left.", {}, "self"},
    {"cerniq_storage_retention_seconds", kGauge, "The history's retention floor (--storage.retention), in seconds.", {}, "self"},
    {"cerniq_storage_checkpoint_last_success_timestamp_seconds", kGauge, "Time of the last checkpoint written to --storage.path (Unix seconds); 0 before the first.", {}, "self"},
    {"cerniq_storage_checkpoint_failures_total", kCounter, "Checkpoints that could not be written.", {}, "self"},
  };
  return table;
}
// clang-format on

}  // namespace

std::span<const Metric> All() { return Table(); }

const Metric* Find(std::string_view series_name) {
  for (const Metric& m : Table()) {
    if (m.name == series_name) return &m;
    if (m.type != kHistogram || !series_name.starts_with(m.name)) continue;
    std::string_view rest = series_name.substr(m.name.size());
    if (rest == "_bucket" || rest == "_sum" || rest == "_count") return &m;
  }
  return nullptr;
}

std::string_view TypeName(Type type) {
  switch (type) {
    case kGauge:
      return "gauge";
    case kCounter:
      return "counter";
    case kHistogram:
      return "histogram";
  }
  return "untyped";
}

std::string MarkdownTable() {
  std::ostringstream out;
  out << "| metric | type | labels | collector | help |\n|---|---|---|---|---|\n";
  for (const Metric& m : Table()) {
    out << "| `" << m.name << "` | " << TypeName(m.type) << " | ";
    for (size_t i = 0; i < m.labels.size(); ++i)
      out << (i ? ", " : "") << "`" << m.labels[i] << "`";
    out << " | " << m.collector << " | " << m.help << " |\n";
  }
  return out.str();
}

}  // namespace cerniq::catalog
