#include "config/postgres_config.h"

#include <cmath>
#include <cstdlib>

namespace cerniq::config {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kDay{24LL * 3600 * 1000};

// Default queries for the reference schema. The column names are the contract the collectors
// check (see src/collect/postgres/specs.cc); a query may compute them any way it likes.
const char* const kChurnQuery = "SELECT churn_score AS score FROM gold_nurturing_state";

const char* const kClientsQuery =
    "SELECT state, count(*) AS value FROM gold_nurturing_state GROUP BY state";

// Live and archived tasks in one statement (one snapshot), each task once by id: the runbook's
// archiving copies then deletes in two statements, and a collection in between must see the
// task once, not twice; afterwards it is still counted from the archive.
const char* const kHitlBreachedQuery = R"SQL(SELECT approval_type, count(*) AS value
FROM (SELECT id, approval_type FROM approval_tasks
      WHERE pipeline_stage = 'E5' AND decided_at > due_at
      UNION
      SELECT id, approval_type FROM approval_tasks_archive
      WHERE pipeline_stage = 'E5' AND decided_at > due_at) AS breached
GROUP BY approval_type)SQL";

const char* const kHitlOpenQuery = R"SQL(SELECT approval_type,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending' AND due_at < now()) AS overdue
FROM approval_tasks
WHERE pipeline_stage = 'E5'
GROUP BY approval_type)SQL";

// $1 = window in seconds.
const char* const kHitlResolutionQuery = R"SQL(SELECT approval_type AS task_type,
       avg(extract(epoch FROM decided_at - created_at)) AS value
FROM (SELECT id, approval_type, created_at, decided_at FROM approval_tasks
      WHERE pipeline_stage = 'E5' AND decided_at > now() - make_interval(secs => $1)
      UNION
      SELECT id, approval_type, created_at, decided_at FROM approval_tasks_archive
      WHERE pipeline_stage = 'E5' AND decided_at > now() - make_interval(secs => $1)) AS decided
GROUP BY approval_type)SQL";

const char* const kGraphQuery = R"SQL(SELECT count(*) FILTER (WHERE status = 'FAILED') AS failures,
       extract(epoch FROM max(finished_at) FILTER (WHERE status = 'SUCCEEDED')) AS last_success
FROM graph_build_runs)SQL";

const char* const kCronQuery = R"SQL(SELECT job_name,
       extract(epoch FROM last_run_at) AS last_run,
       extract(epoch FROM next_run_at) AS next_run
FROM cron_job_status
WHERE job_name LIKE 'e5_%')SQL";

const char* const kWorkerErrorsQuery =
    "SELECT queue, count(*) AS value FROM worker_errors GROUP BY queue";

const char* const kReferralsQuery =
    "SELECT status, count(*) AS value FROM gold_referrals GROUP BY status";

// $1 = window in seconds.
const char* const kNpsQuery = R"SQL(SELECT nps_category, avg(nps_score) AS value
FROM gold_nps_responses
WHERE created_at > now() - make_interval(secs => $1)
GROUP BY nps_category)SQL";

// The runbook's §3.3 diagnosis, with `_` escaped (a bare `_` in LIKE matches any character)
// and the exporter's own session left out (its query text contains the pattern). Sessions of
// other databases on the same server are not Cerniq's.
const char* const kSpatialQuery = R"SQL(SELECT count(*) AS active,
       coalesce(extract(epoch FROM max(clock_timestamp() - query_start)), 0) AS max_duration
FROM pg_stat_activity
WHERE state = 'active' AND query LIKE '%ST\_%' AND pid <> pg_backend_pid()
  AND datname = current_database())SQL";

// Whether a range partition of the actions table contains the first instant of next month
// (the runbook's §5.2 creates it as gold_nurturing_actions_YYYY_MM; any name counts). Reads
// the catalogue only, so no grant on the table is needed.
const char* const kPartitionsQuery = R"SQL(SELECT coalesce(bool_or(
         bound[1]::timestamptz <= n.next_month AND n.next_month < bound[2]::timestamptz),
         false)::int AS value
FROM (SELECT date_trunc('month', now()) + interval '1 month' AS next_month) AS n
LEFT JOIN (pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid)
  ON i.inhparent = 'gold_nurturing_actions_partitioned'::regclass
LEFT JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid),
                               $re$FROM \('([^']*)'\) TO \('([^']*)'\)$re$) AS bound ON true)SQL";

PgCollectorConfig Make(std::map<std::string, std::string> queries, milliseconds window = {}) {
  PgCollectorConfig c;
  c.queries = std::move(queries);
  c.window = window;
  return c;
}

void ParseCollector(MapReader& reader, const std::string& what, const PostgresConfig& pg,
                    PgCollectorConfig& c) {
  c.enabled = reader.Bool("enabled", c.enabled);
  c.interval = reader.Duration("interval", c.interval);
  if (c.interval.count() <= 0)
    reader.FailAt(reader.Node("interval"), what + ".interval must be > 0");
  c.timeout = reader.Duration("timeout", pg.statement_timeout);
  if (c.timeout.count() <= 0) reader.FailAt(reader.Node("timeout"), what + ".timeout must be > 0");
  for (auto& [key, sql] : c.queries) {
    sql = reader.String(key, sql);
    if (sql.find_first_not_of(" \t\r\n;") == std::string::npos) {
      reader.FailAt(reader.Node(key), what + "." + key + " must not be empty");
    }
  }
  if (c.window.count() > 0) {
    c.window = reader.Duration("window", c.window);
    if (c.window.count() <= 0) reader.FailAt(reader.Node("window"), what + ".window must be > 0");
  }
  if (!c.buckets.empty()) {
    YAML::Node node = reader.Node("buckets");
    c.buckets = reader.DoubleList("buckets", c.buckets);
    if (c.buckets.empty()) reader.FailAt(node, what + ".buckets must not be empty");
    for (size_t i = 0; i < c.buckets.size(); ++i) {
      if (!std::isfinite(c.buckets[i])) {
        reader.FailAt(node[i], what + ".buckets must be finite (+Inf is always added)");
      }
      if (i > 0 && c.buckets[i] <= c.buckets[i - 1]) {
        reader.FailAt(node[i], what + ".buckets must be strictly increasing");
      }
    }
  }
  reader.Finish();
}

}  // namespace

const std::vector<double>& DefaultChurnBuckets() {
  static const std::vector<double> buckets = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  return buckets;
}

std::map<std::string, PgCollectorConfig> PostgresConfig::DefaultPgCollectors() {
  std::map<std::string, PgCollectorConfig> c;
  c["churn"] = Make({{"query", kChurnQuery}});
  c["churn"].buckets = DefaultChurnBuckets();
  c["clients"] = Make({{"query", kClientsQuery}});
  c["hitl"] = Make({{"breached_query", kHitlBreachedQuery},
                    {"open_query", kHitlOpenQuery},
                    {"resolution_query", kHitlResolutionQuery}},
                   7 * kDay);
  c["graph"] = Make({{"query", kGraphQuery}});
  c["cron"] = Make({{"query", kCronQuery}});
  c["worker_errors"] = Make({{"query", kWorkerErrorsQuery}});
  c["referrals"] = Make({{"query", kReferralsQuery}});
  c["nps"] = Make({{"query", kNpsQuery}}, 30 * kDay);
  c["spatial"] = Make({{"query", kSpatialQuery}});
  c["spatial"].interval = milliseconds(15000);
  c["partitions"] = Make({{"query", kPartitionsQuery}});
  return c;
}

void ApplyPostgresEnv(PostgresConfig& config, const std::string& flag_dsn) {
  const char* env_dsn = std::getenv("CERNIQ_POSTGRES_DSN");
  if (!flag_dsn.empty()) {
    config.dsn = flag_dsn;
  } else if (env_dsn != nullptr && *env_dsn != '\0') {
    config.dsn = env_dsn;
  }
  const char* env_password_file = std::getenv("CERNIQ_POSTGRES_PASSWORD_FILE");
  if (env_password_file != nullptr && *env_password_file != '\0') {
    config.password_file = env_password_file;
  }
}

PostgresConfig ParsePostgresConfig(MapReader& section) {
  PostgresConfig pg;
  pg.dsn = section.String("dsn", pg.dsn);
  pg.password_file = section.String("password_file", pg.password_file);
  pg.connect_timeout = section.Duration("connect_timeout", pg.connect_timeout);
  if (pg.connect_timeout.count() <= 0) {
    section.FailAt(section.Node("connect_timeout"), "postgres.connect_timeout must be > 0");
  }
  pg.statement_timeout = section.Duration("statement_timeout", pg.statement_timeout);
  if (pg.statement_timeout.count() <= 0) {
    section.FailAt(section.Node("statement_timeout"), "postgres.statement_timeout must be > 0");
  }
  pg.application_name = section.String("application_name", pg.application_name);
  pg.reconnect_backoff_max = section.Duration("reconnect_backoff_max", pg.reconnect_backoff_max);
  for (auto& [name, c] : pg.collectors) c.timeout = pg.statement_timeout;

  YAML::Node collectors = section.Node("collectors");
  MapReader list(collectors, section.file(), "postgres.collectors");
  if (collectors.IsMap()) {
    for (auto it = collectors.begin(); it != collectors.end(); ++it) {
      const std::string name = it->first.Scalar();
      auto found = pg.collectors.find(name);
      if (found == pg.collectors.end()) {
        list.FailAt(it->first, "unknown PostgreSQL collector \"" + name +
                                   "\" (known: churn, clients, hitl, graph, cron, worker_errors, "
                                   "referrals, nps, spatial, partitions)");
      }
      list.Node(name);
      std::string what = "postgres.collectors." + name;
      MapReader reader(it->second, section.file(), what);
      ParseCollector(reader, what, pg, found->second);
    }
  }
  section.Finish();
  return pg;
}

}  // namespace cerniq::config
