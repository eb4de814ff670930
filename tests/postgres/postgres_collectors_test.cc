// What every PostgreSQL collector shares: all ten succeed on the fixture with catalogue metrics,
// column contracts and their errors, the read-only session, the grants of sql/grants.sql and
// password hygiene. Each subsystem's values are checked in subsystems/<name>_test.cc.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collect/postgres/postgres_collectors.h"
#include "collector_fixture.h"
#include "log/limits.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::PostgresCollectorsTest;
using testing::SampleValue;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, EveryCollectorSucceedsOnTheFixture) {
  auto collectors = collect::postgres::MakePostgresCollectors(Config());
  EXPECT_EQ(collectors.size(), 10u);
  for (auto& [collector, schedule] : collectors) {
    CollectResult r = collector->Collect();
    EXPECT_TRUE(r.success) << collector->Name() << ": " << r.error;
    EXPECT_TRUE(r.source_reached) << collector->Name();
    EXPECT_EQ(collector->Source(), "postgres");
    EXPECT_LE(schedule.interval.count(), 60000) << "every metric fresh at least once a minute";
    // Every family the collector publishes is in the catalogue under this collector's name.
    for (const auto& f : r.families) {
      const auto* m = catalog::Find(f.name);
      ASSERT_NE(m, nullptr) << f.name;
      EXPECT_EQ(m->collector, collector->Name()) << f.name;
    }
  }
}

TEST_F(PostgresCollectorsTest, WrongColumnsGiveAnErrorNamingTheQuery) {
  auto c = Config();
  c.collectors["clients"].queries["query"] =
      "SELECT state, count(*) AS clients FROM gold_nurturing_state GROUP BY state";
  c.collectors["churn"].queries["query"] = "SELECT churn_score, state FROM gold_nurturing_state";
  c.collectors["hitl"].queries["open_query"] = "SELECT 'x' AS approval_type, 1 AS pending";
  c.collectors["graph"].queries["query"] = "SELECT no_such_column FROM graph_build_runs";
  c.collectors["referrals"].queries["query"] = "SELECT status, 'many' AS value FROM gold_referrals";
  c.collectors["worker_errors"].queries["query"] = "SELECT queue, 1 AS value FROM worker_errors";

  CollectResult clients = Collect("clients", c);
  EXPECT_FALSE(clients.success);
  EXPECT_TRUE(clients.source_reached);
  EXPECT_EQ(clients.error,
            "postgres.collectors.clients.query: returned columns (state, clients), expected "
            "(state, value) in any order");
  EXPECT_TRUE(clients.families.empty());

  CollectResult churn = Collect("churn", c);
  EXPECT_FALSE(churn.success);
  EXPECT_EQ(churn.error,
            "postgres.collectors.churn.query: returned columns (churn_score, state), expected "
            "(score) in any order");

  CollectResult hitl = Collect("hitl", c);
  EXPECT_FALSE(hitl.success);
  EXPECT_NE(hitl.error.find("postgres.collectors.hitl.open_query: returned columns "
                            "(approval_type, pending), expected (approval_type, pending, overdue)"),
            std::string::npos)
      << hitl.error;

  CollectResult graph = Collect("graph", c);
  EXPECT_FALSE(graph.success);
  EXPECT_NE(graph.error.find("postgres.collectors.graph.query: column \"no_such_column\" does not "
                             "exist (SQLSTATE 42703)"),
            std::string::npos)
      << graph.error;

  CollectResult referrals = Collect("referrals", c);
  EXPECT_FALSE(referrals.success);
  EXPECT_NE(referrals.error.find("postgres.collectors.referrals.query: column value of row 1 is "
                                 "not a number: \"many\""),
            std::string::npos)
      << referrals.error;

  CollectResult errors = Collect("worker_errors", c);
  EXPECT_FALSE(errors.success);
  EXPECT_NE(errors.error.find("postgres.collectors.worker_errors.query: two rows with the same "
                              "labels {queue=\""),
            std::string::npos)
      << errors.error;

  // The untouched collectors are unaffected.
  EXPECT_TRUE(Collect("cron", c).success);
}

TEST_F(PostgresCollectorsTest, RowsPastMaxRowsPerQueryAreDroppedAndCounted) {
  auto reached = [] {
    for (const auto& [name, count] : log::LimitCounts())
      if (name == log::limit::kPostgresRows) return count;
    return std::uint64_t{0};
  };
  auto c = Config();
  c.collectors["referrals"].queries["query"] =
      "SELECT 's' || g AS status, g AS value FROM generate_series(1, 50) AS g ORDER BY g";
  c.collectors["referrals"].max_rows = 20;
  auto before = reached();
  CollectResult r = Collect("referrals", c);
  ASSERT_TRUE(r.success) << r.error;
  ASSERT_EQ(r.families.size(), 1u);
  ASSERT_EQ(r.families[0].metric.size(), 20u);
  EXPECT_EQ(r.families[0].metric.back().gauge.value, 20);
  EXPECT_EQ(reached(), before + 1);
  c.collectors["referrals"].max_rows = 50;
  EXPECT_EQ(Collect("referrals", c).families[0].metric.size(), 50u);
  EXPECT_EQ(reached(), before + 1) << "exactly at the limit is not over it";
}

TEST_F(PostgresCollectorsTest, SessionIsReadOnlyWithTimeoutsAndApplicationName) {
  collect::postgres::PgConnection conn(testing::TestSettings(db_->Dsn()));
  collect::postgres::QueryError error;
  for (const char* write : {"INSERT INTO worker_errors (queue, message) VALUES ('churn', 'x')",
                            "UPDATE gold_referrals SET status = 'EXPIRED'",
                            "CREATE TABLE exporter_was_here (id int)"}) {
    auto res = conn.Query(write, {}, error);
    EXPECT_EQ(res, nullptr) << write;
    EXPECT_EQ(error.sqlstate, "25006") << write << ": " << error.message;
    EXPECT_TRUE(error.reached);
  }
  auto res = conn.Query(
      "SELECT current_setting('statement_timeout'), "
      "current_setting('default_transaction_read_only'), "
      "current_setting('application_name')",
      {}, error);
  ASSERT_NE(res, nullptr) << error.message;
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 0), "5s");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "on");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 2), "cerniq_exporter_test");
  EXPECT_EQ(sql().Number("SELECT count(*) FROM worker_errors WHERE message = 'x'"), 0);
}

TEST_F(PostgresCollectorsTest, WorksAsThePlainRoleOfGrantsSql) {
  auto port = testing::TestPgPort();
  ASSERT_TRUE(db_->ApplyGrants());
  auto c = Config();
  c.dsn = "host=127.0.0.1 port=" + std::to_string(*port) +
          " user=cerniq_exporter dbname=" + db_->name();
  for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
    CollectResult r = collector->Collect();
    EXPECT_TRUE(r.success) << collector->Name() << ": " << r.error;
  }
  // pg_monitor: the role sees other roles' query text (needed by the spatial gauges).
  std::thread slow([&] {
    testing::Sql other(db_->Dsn());
    other.Exec("SELECT pg_sleep(3) /* ST_Intersects */");
  });
  ASSERT_TRUE(WaitForSpatialQuery()) << "the slow query never showed up";
  CollectResult spatial = Collect("spatial", c);
  slow.join();
  ASSERT_TRUE(spatial.success) << spatial.error;
  const auto* active = FindSample(spatial.families, std::string(n::kSpatialQueriesActive));
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(SampleValue(*active), 1);
  // Even a transaction that asks to write cannot: the role has no write privilege at all.
  collect::postgres::PgConnection conn(testing::TestSettings(c.dsn));
  collect::postgres::QueryError error;
  ASSERT_NE(conn.Query("BEGIN READ WRITE", {}, error), nullptr) << error.message;
  EXPECT_EQ(conn.Query("DELETE FROM worker_errors", {}, error), nullptr);
  EXPECT_EQ(error.sqlstate, "42501") << error.message;
}

TEST_F(PostgresCollectorsTest, PasswordNeverAppearsInErrors) {
  const std::string secret = "s3cr3t-Pa55";
  // Refused connection with a password in the DSN, then in a URI.
  for (const std::string& dsn :
       {"host=127.0.0.1 port=1 user=postgres password=" + secret + " dbname=x",
        "postgresql://postgres:" + secret + "@127.0.0.1:1/x",
        "postgresql://postgres:" + secret + "@127.0.0.1:notaport/x",
        "host=127.0.0.1 password=" + secret + " bogus=1",
        "host=127.0.0.1 password= " + secret + " dbname=x", "host=127.0.0.1 password='" + secret}) {
    auto c = Config();
    c.dsn = dsn;
    CollectResult r = Collect("clients", c);
    EXPECT_FALSE(r.success);
    EXPECT_FALSE(r.source_reached);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.error.find(secret), std::string::npos) << r.error;
  }
  // From a password file: used for the connection, never shown; a missing file is an error.
  std::string file = ::testing::TempDir() + "/cerniq-pg-password-" + std::to_string(getpid());
  {
    std::ofstream out(file);
    out << secret << "\n";
  }
  auto c = Config();
  c.password_file = file;
  EXPECT_TRUE(Collect("clients", c).success) << "trust auth accepts any password";
  c.dsn = "host=127.0.0.1 port=1 user=postgres dbname=x";
  CollectResult refused = Collect("clients", c);
  EXPECT_FALSE(refused.success);
  EXPECT_EQ(refused.error.find(secret), std::string::npos) << refused.error;
  c.password_file = file + ".missing";
  CollectResult missing = Collect("clients", c);
  EXPECT_FALSE(missing.success);
  EXPECT_NE(missing.error.find("cannot read password file " + file + ".missing"), std::string::npos)
      << missing.error;
  std::remove(file.c_str());
}

}  // namespace
}  // namespace cerniq
