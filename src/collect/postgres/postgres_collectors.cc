#include "collect/postgres/postgres_collectors.h"

#include <charconv>

#include "catalog/catalog.h"
#include "collect/postgres/churn_collector.h"
#include "collect/postgres/query_collector.h"

namespace cerniq::collect::postgres {
namespace {

namespace n = catalog::names;

std::string Seconds(std::chrono::milliseconds d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d.count() / 1000.0);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

// Which metrics each configured query feeds, and from which columns. The label columns are
// the metrics' catalogue labels.
std::vector<QuerySpec> Specs(const std::string& collector, const config::PgCollectorConfig& c) {
  auto spec = [&](const std::string& key, std::vector<ValueColumn> values, bool windowed = false) {
    QuerySpec s;
    s.name = "postgres.collectors." + collector + "." + key;
    s.sql = c.queries.at(key);
    if (windowed) s.params.push_back(Seconds(c.window));
    s.values = std::move(values);
    return s;
  };
  if (collector == "clients") return {spec("query", {{n::kClients, "value"}})};
  if (collector == "hitl") {
    return {
        spec("breached_query", {{n::kHitlSlaBreachedTotal, "value"}}),
        spec("open_query", {{n::kHitlTasksPending, "pending"}, {n::kHitlTasksOverdue, "overdue"}}),
        spec("resolution_query", {{n::kHitlResolutionTime, "value"}}, true)};
  }
  if (collector == "graph") {
    return {spec("query", {{n::kGraphBuildFailuresTotal, "failures"},
                           {n::kGraphBuildLastSuccess, "last_success"}})};
  }
  if (collector == "cron") {
    return {spec("query", {{n::kCronLastRun, "last_run"}, {n::kCronNextRun, "next_run"}})};
  }
  if (collector == "worker_errors") return {spec("query", {{n::kWorkerErrorsTotal, "value"}})};
  if (collector == "referrals") return {spec("query", {{n::kReferralStatus, "value"}})};
  if (collector == "nps") return {spec("query", {{n::kNpsScore, "value"}}, true)};
  if (collector == "spatial") {
    return {spec("query", {{n::kSpatialQueriesActive, "active"},
                           {n::kSpatialQueryMaxDuration, "max_duration"}})};
  }
  if (collector == "partitions") return {spec("query", {{n::kNextPartitionExists, "value"}})};
  return {};
}

}  // namespace

ScheduledCollectors MakePostgresCollectors(const config::PostgresConfig& config) {
  ScheduledCollectors out;
  if (!config.enabled()) return out;
  for (const auto& [name, c] : config.collectors) {
    if (!c.enabled) continue;
    ConnectionSettings settings;
    settings.dsn = config.dsn;
    settings.password_file = config.password_file;
    settings.connect_timeout = config.connect_timeout;
    settings.statement_timeout = c.timeout;
    settings.application_name = config.application_name;
    settings.backoff_max = config.reconnect_backoff_max;
    std::unique_ptr<Collector> collector;
    if (name == "churn") {
      collector = std::make_unique<ChurnCollector>(
          name, settings, "postgres.collectors.churn.query", c.queries.at("query"), c.buckets);
    } else {
      collector = std::make_unique<QueryCollector>(name, settings, Specs(name, c));
    }
    out.emplace_back(std::move(collector), Schedule{c.interval});
  }
  return out;
}

bool PostgresConnected(const Snapshot& snapshot) {
  auto up = snapshot.SourcesUp();
  auto it = up.find("postgres");
  return it != up.end() && it->second;
}

}  // namespace cerniq::collect::postgres
