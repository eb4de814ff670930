#include "config/postgres_config.h"

#include <cmath>
#include <cstdlib>

#include "collect/postgres/subsystems/registry.h"

namespace cerniq::config {
namespace {

namespace subsystems = collect::postgres::subsystems;

// A subsystem's defaults: its queries' SQL (their keys are the keys the config accepts), its
// interval, window and buckets.
PgCollectorConfig Defaults(const subsystems::Subsystem& subsystem) {
  PgCollectorConfig c;
  for (const subsystems::Query& q : subsystem.queries) {
    c.queries.emplace(q.key, q.default_sql);
  }
  c.interval = subsystem.interval;
  c.window = subsystem.window;
  c.buckets = subsystem.buckets;
  return c;
}

std::string KnownSubsystems() {
  std::string names;
  for (const subsystems::Subsystem* s : subsystems::All()) {
    names += (names.empty() ? "" : ", ") + std::string(s->name);
  }
  return names;
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

const std::vector<double>& DefaultChurnBuckets() { return subsystems::Find("churn")->buckets; }

std::map<std::string, PgCollectorConfig> PostgresConfig::DefaultPgCollectors() {
  std::map<std::string, PgCollectorConfig> c;
  for (const subsystems::Subsystem* s : subsystems::All()) c.emplace(s->name, Defaults(*s));
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
  pg.max_rows_per_query = section.Int("max_rows_per_query", pg.max_rows_per_query, 1, 10'000'000);
  for (auto& [name, c] : pg.collectors) {
    c.timeout = pg.statement_timeout;
    c.max_rows = pg.max_rows_per_query;
  }

  YAML::Node collectors = section.Node("collectors");
  MapReader list(collectors, section.file(), "postgres.collectors");
  if (collectors.IsMap()) {
    for (auto it = collectors.begin(); it != collectors.end(); ++it) {
      const std::string name = it->first.Scalar();
      auto found = pg.collectors.find(name);
      if (found == pg.collectors.end()) {
        list.FailAt(it->first, "unknown PostgreSQL collector \"" + name +
                                   "\" (known: " + KnownSubsystems() + ")");
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
