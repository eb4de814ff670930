#pragma once
// PostgreSQL section of the exporter config: the connection, and one entry per collector with
// its interval, timeout and queries. The collectors, their query keys and defaults (written for
// the reference schema, tests/fixtures/schema.sql) are the subsystems' of
// src/collect/postgres/subsystems, so an install whose columns differ only edits the config.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/strict_yaml.h"

namespace cerniq::config {

struct PgCollectorConfig {
  bool enabled = true;
  std::chrono::milliseconds interval{30000};
  // Also the session's statement_timeout: the query is cancelled server-side when it runs out.
  std::chrono::milliseconds timeout{10000};
  // Query key ("query", "breached_query", ...) -> SQL. The keys a collector accepts are the
  // keys of its defaults.
  std::map<std::string, std::string> queries;
  // Passed as $1 (seconds) to the collector's windowed query; 0 = the collector has no window.
  std::chrono::milliseconds window{0};
  // Rows of one query turned into samples (postgres.max_rows_per_query); the rest are dropped
  // and counted in cerniq_limit_reached_total{limit="postgres_rows"}.
  long long max_rows = 10000;
  // churn only: histogram bucket upper bounds, strictly increasing (+Inf is implicit).
  std::vector<double> buckets;
};

struct PostgresConfig {
  std::string dsn;            // libpq conninfo or URI; empty = PostgreSQL collectors off
  std::string password_file;  // read at each connection attempt; overrides a DSN password
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds statement_timeout{10000};  // default timeout of every collector
  std::string application_name = "cerniq_exporter";
  std::chrono::milliseconds reconnect_backoff_max{30000};
  long long max_rows_per_query = 10000;  // default max_rows of every collector
  // By collector name: one per subsystem of collect/postgres/subsystems/registry.h.
  std::map<std::string, PgCollectorConfig> collectors = DefaultPgCollectors();
  bool enabled() const { return !dsn.empty(); }

  static std::map<std::string, PgCollectorConfig> DefaultPgCollectors();
};

// Reads the `postgres:` mapping (absent or null = defaults).
PostgresConfig ParsePostgresConfig(MapReader& section);

// Applies the command line and the environment over the file, highest first: `--postgres.dsn`
// (flag_dsn, empty = not given), then CERNIQ_POSTGRES_DSN; CERNIQ_POSTGRES_PASSWORD_FILE
// replaces password_file. The password itself is only ever read from that file, at connect time.
void ApplyPostgresEnv(PostgresConfig& config, const std::string& flag_dsn);

// Default histogram bounds of nurturing_client_churn_score (80 is the runbook's alert threshold).
const std::vector<double>& DefaultChurnBuckets();

}  // namespace cerniq::config
