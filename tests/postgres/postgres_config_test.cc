// The `postgres:` section: defaults, overrides, and errors with file:line:col.

#include <cstdlib>

#include <gtest/gtest.h>

#include "config/config.h"

namespace cerniq::config {
namespace {

using std::chrono::milliseconds;

Config Load(const std::string& yaml) { return LoadConfigString(yaml, "cerniq.yml"); }

std::string ErrorOf(const std::string& yaml) {
  try {
    Load(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PostgresConfigTest, DefaultsCoverEveryCollector) {
  Config c = Load("");
  const PostgresConfig& pg = c.postgres;
  EXPECT_FALSE(pg.enabled());
  EXPECT_EQ(pg.application_name, "cerniq_exporter");
  std::vector<std::string> names;
  for (const auto& [name, collector] : pg.collectors) {
    names.push_back(name);
    EXPECT_TRUE(collector.enabled);
    EXPECT_LE(collector.interval, milliseconds(60000)) << name << ": fresh once a minute";
    EXPECT_EQ(collector.timeout, pg.statement_timeout) << name;
    EXPECT_EQ(collector.max_rows, 10000) << name;
    EXPECT_FALSE(collector.queries.empty()) << name;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"churn", "clients", "cron", "graph", "hitl", "nps",
                                      "partitions", "referrals", "spatial", "worker_errors"}));
  EXPECT_EQ(pg.collectors.at("churn").buckets, DefaultChurnBuckets());
  EXPECT_EQ(pg.collectors.at("hitl").queries.size(), 3u);
  EXPECT_EQ(pg.collectors.at("hitl").window, std::chrono::hours(24 * 7));
  EXPECT_EQ(pg.collectors.at("nps").window, std::chrono::hours(24 * 30));
}

TEST(PostgresConfigTest, OverridesPerCollector) {
  Config c = Load(R"(postgres:
  dsn: host=db dbname=cerniq user=cerniq_exporter
  password_file: /run/secrets/pg
  statement_timeout: 4s
  connect_timeout: 2s
  application_name: exp
  reconnect_backoff_max: 10s
  max_rows_per_query: 500
  collectors:
    churn:
      interval: 1m
      timeout: 20s
      buckets: [25, 50, 80]
      query: SELECT risk AS score FROM clients
    hitl:
      window: 1d
      open_query: SELECT 1
    spatial:
      enabled: false
)");
  const PostgresConfig& pg = c.postgres;
  EXPECT_TRUE(pg.enabled());
  EXPECT_EQ(pg.dsn, "host=db dbname=cerniq user=cerniq_exporter");
  EXPECT_EQ(pg.password_file, "/run/secrets/pg");
  EXPECT_EQ(pg.connect_timeout, milliseconds(2000));
  EXPECT_EQ(pg.application_name, "exp");
  EXPECT_EQ(pg.reconnect_backoff_max, milliseconds(10000));
  const auto& churn = pg.collectors.at("churn");
  EXPECT_EQ(churn.interval, milliseconds(60000));
  EXPECT_EQ(churn.timeout, milliseconds(20000));
  EXPECT_EQ(churn.buckets, (std::vector<double>{25, 50, 80}));
  EXPECT_EQ(churn.queries.at("query"), "SELECT risk AS score FROM clients");
  const auto& hitl = pg.collectors.at("hitl");
  EXPECT_EQ(hitl.window, std::chrono::hours(24));
  EXPECT_EQ(hitl.timeout, milliseconds(4000)) << "statement_timeout is the default timeout";
  EXPECT_EQ(hitl.max_rows, 500);
  EXPECT_EQ(hitl.queries.at("open_query"), "SELECT 1");
  EXPECT_NE(hitl.queries.at("breached_query").find("approval_tasks_archive"), std::string::npos);
  EXPECT_FALSE(pg.collectors.at("spatial").enabled);
}

TEST(PostgresConfigTest, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    churn:\n      buckets: [10, 80, 50]\n"),
            "cerniq.yml:4:25: postgres.collectors.churn.buckets must be strictly increasing");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    churn:\n      buckets: [10, inf]\n"),
            "cerniq.yml:4:21: postgres.collectors.churn.buckets must be finite (+Inf is always "
            "added)");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    churn:\n      buckets: [10, high]\n"),
            "cerniq.yml:4:21: postgres.collectors.churn.buckets items must be numbers, got "
            "\"high\"");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    churn:\n      buckets: []\n"),
            "cerniq.yml:4:16: postgres.collectors.churn.buckets must not be empty");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    churns: {}\n"),
            "cerniq.yml:3:5: unknown PostgreSQL collector \"churns\" (known: churn, clients, hitl, "
            "graph, cron, worker_errors, referrals, nps, spatial, partitions)");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    clients:\n      querry: SELECT 1\n"),
            "cerniq.yml:4:7: unknown key \"querry\" in postgres.collectors.clients");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    clients:\n      window: 1d\n"),
            "cerniq.yml:4:7: unknown key \"window\" in postgres.collectors.clients")
      << "only windowed collectors take a window";
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    clients:\n      buckets: [1]\n"),
            "cerniq.yml:4:7: unknown key \"buckets\" in postgres.collectors.clients");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    hitl:\n      query: SELECT 1\n"),
            "cerniq.yml:4:7: unknown key \"query\" in postgres.collectors.hitl");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    nps:\n      interval: 0\n"),
            "cerniq.yml:4:17: postgres.collectors.nps.interval must be > 0");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    nps:\n      window: soon\n"),
            "cerniq.yml:4:15: postgres.collectors.nps.window: not a valid duration string: "
            "\"soon\"");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    nps:\n      query: ' ; '\n"),
            "cerniq.yml:4:14: postgres.collectors.nps.query must not be empty");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    nps:\n      enabled: maybe\n"),
            "cerniq.yml:4:16: postgres.collectors.nps.enabled must be true or false, got "
            "\"maybe\"");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors:\n    nps: {}\n    nps: {}\n"),
            "cerniq.yml:4:5: duplicate key \"nps\" in postgres.collectors");
  EXPECT_EQ(ErrorOf("postgres:\n  collectors: [churn]\n"),
            "cerniq.yml:2:15: postgres.collectors must be a mapping");
  EXPECT_EQ(ErrorOf("postgres:\n  statement_timeout: 0\n"),
            "cerniq.yml:2:22: postgres.statement_timeout must be > 0");
  EXPECT_NE(ErrorOf("postgres:\n  max_rows_per_query: 0\n").find("cerniq.yml:2:"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("postgres:\n  dsnn: x\n"), "cerniq.yml:2:3: unknown key \"dsnn\" in postgres");
}

TEST(PostgresConfigTest, FlagBeatsEnvironmentBeatsFile) {
  Config c = Load("postgres:\n  dsn: host=file\n  password_file: /file\n");
  ::unsetenv("CERNIQ_POSTGRES_DSN");
  ::unsetenv("CERNIQ_POSTGRES_PASSWORD_FILE");
  PostgresConfig pg = c.postgres;
  ApplyPostgresEnv(pg, "");
  EXPECT_EQ(pg.dsn, "host=file");
  EXPECT_EQ(pg.password_file, "/file");

  ::setenv("CERNIQ_POSTGRES_DSN", "host=env", 1);
  ::setenv("CERNIQ_POSTGRES_PASSWORD_FILE", "/env", 1);
  pg = c.postgres;
  ApplyPostgresEnv(pg, "");
  EXPECT_EQ(pg.dsn, "host=env");
  EXPECT_EQ(pg.password_file, "/env");

  pg = c.postgres;
  ApplyPostgresEnv(pg, "host=flag");
  EXPECT_EQ(pg.dsn, "host=flag");
  EXPECT_EQ(pg.password_file, "/env");
  ::unsetenv("CERNIQ_POSTGRES_DSN");
  ::unsetenv("CERNIQ_POSTGRES_PASSWORD_FILE");
}

}  // namespace
}  // namespace cerniq::config
