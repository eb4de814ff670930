// Every PostgreSQL metric against an independent SQL computation on the demo fixture. The
// expected values are computed here with queries written for the test, not the collectors'.

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collect/postgres/churn_collector.h"
#include "collect/postgres/postgres_collectors.h"
#include "pg_test_db.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::SampleCount;
using testing::SampleValue;
using testing::ScratchDb;
namespace n = catalog::names;

constexpr long kClients = 2000;

class PostgresCollectorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto port = testing::TestPgPort();
    if (!port) return;
    db_ = new ScratchDb("127.0.0.1", *port, kClients);
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    if (!testing::TestPgPort()) GTEST_SKIP() << "CERNIQ_TEST_PG_PORT not set (run tests/run.sh)";
    ASSERT_TRUE(db_ && db_->ok());
  }

  config::PostgresConfig Config() {
    config::PostgresConfig c;
    c.dsn = db_->Dsn();
    c.application_name = "cerniq_exporter_test";
    return c;
  }

  // Runs one pass of the named collector built by the factory from config.
  CollectResult Collect(const std::string& name, const config::PostgresConfig& c) {
    for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
      if (collector->Name() == name) return collector->Collect();
    }
    ADD_FAILURE() << "no collector " << name;
    return {};
  }
  CollectResult Collect(const std::string& name) { return Collect(name, Config()); }

  testing::Sql& sql() { return db_->sql(); }

  // label value -> number, from a two-column query.
  std::map<std::string, double> ByLabel(const std::string& query) {
    std::map<std::string, double> out;
    for (const auto& row : sql().Rows(query)) out[row[0]] = std::strtod(row[1].c_str(), nullptr);
    return out;
  }

  // Every sample of a family equals the expected map, and nothing else is there.
  void ExpectFamily(const CollectResult& r, std::string_view metric, const std::string& label,
                    const std::map<std::string, double>& expected, double tolerance = 0) {
    ASSERT_FALSE(expected.empty()) << metric << ": the fixture should produce values";
    EXPECT_EQ(SampleCount(r.families, std::string(metric)), expected.size()) << metric;
    for (const auto& [value, want] : expected) {
      const auto* m = FindSample(r.families, std::string(metric), {{label, value}});
      ASSERT_NE(m, nullptr) << metric << "{" << label << "=" << value << "}";
      EXPECT_NEAR(SampleValue(*m), want, tolerance)
          << metric << "{" << label << "=" << value << "}";
    }
  }

  // Polls (bounded, 10 s) until a query with ST_ runs in the scratch database.
  bool WaitForSpatialQuery() {
    for (int i = 0; i < 200; ++i) {
      if (sql().Number("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
                       "position('ST_' IN query) > 0 AND pid <> pg_backend_pid() AND "
                       "datname = current_database()") > 0) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  static ScratchDb* db_;
};
ScratchDb* PostgresCollectorsTest::db_ = nullptr;

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

TEST_F(PostgresCollectorsTest, ChurnHistogramMatchesSqlIncludingBucketEdges) {
  CollectResult r = Collect("churn");
  ASSERT_TRUE(r.success) << r.error;
  const auto* h = FindSample(r.families, std::string(n::kChurnScore));
  ASSERT_NE(h, nullptr);
  const auto& buckets = h->histogram.bucket;
  const auto& bounds = config::DefaultChurnBuckets();
  ASSERT_EQ(buckets.size(), bounds.size() + 1);
  EXPECT_TRUE(std::find(bounds.begin(), bounds.end(), 80.0) != bounds.end());

  double scored = sql().Number("SELECT count(churn_score) FROM gold_nurturing_state");
  double total = sql().Number("SELECT count(*) FROM gold_nurturing_state");
  ASSERT_LT(scored, total) << "fixture has clients without a score";
  EXPECT_EQ(h->histogram.sample_count, scored);
  EXPECT_DOUBLE_EQ(h->histogram.sample_sum,
                   sql().Number("SELECT sum(churn_score) FROM gold_nurturing_state"));
  for (size_t i = 0; i < bounds.size(); ++i) {
    std::string b = collect::postgres::FormatBound(bounds[i]);
    // `le` is inclusive: a score equal to the bound is in the bucket.
    ASSERT_GE(sql().Number("SELECT count(*) FROM gold_nurturing_state WHERE churn_score = " + b), 1)
        << "fixture has a score exactly on " << b;
    double below_or_on = sql().Number(
        "SELECT count(*) FROM gold_nurturing_state WHERE churn_score IS NOT NULL AND NOT "
        "(churn_score > " +
        b + ")");
    EXPECT_EQ(buckets[i].upper_bound, bounds[i]);
    EXPECT_EQ(buckets[i].cumulative_count, below_or_on) << "le=" << b;
  }
  EXPECT_TRUE(std::isinf(buckets.back().upper_bound));
  EXPECT_EQ(buckets.back().cumulative_count, scored);
}

TEST_F(PostgresCollectorsTest, ChurnBucketsAreConfigurable) {
  auto c = Config();
  c.collectors["churn"].buckets = {0, 12.5, 80, 99.99};
  CollectResult r = Collect("churn", c);
  ASSERT_TRUE(r.success) << r.error;
  const auto* h = FindSample(r.families, std::string(n::kChurnScore));
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->histogram.bucket.size(), 5u);
  std::vector<std::string> bounds = {"0", "12.5", "80", "99.99"};
  for (size_t i = 0; i < bounds.size(); ++i) {
    EXPECT_EQ(h->histogram.bucket[i].cumulative_count,
              sql().Number("SELECT count(*) FILTER (WHERE churn_score - " + bounds[i] +
                           " <= 0) FROM gold_nurturing_state"))
        << bounds[i];
  }
}

TEST_F(PostgresCollectorsTest, ChurnScoresOfOtherTypesAndNoRows) {
  // An install whose score is a float or an integer column, and one with no scored client yet.
  for (const std::string& source :
       {std::string("SELECT churn_score::float8 AS score FROM gold_nurturing_state"),
        std::string("SELECT round(churn_score)::int AS score FROM gold_nurturing_state;  "),
        std::string("SELECT churn_score AS score FROM gold_nurturing_state WHERE false -- none")}) {
    auto c = Config();
    c.collectors["churn"].queries["query"] = source;
    CollectResult r = Collect("churn", c);
    ASSERT_TRUE(r.success) << source << ": " << r.error;
    const auto* h = FindSample(r.families, std::string(n::kChurnScore));
    ASSERT_NE(h, nullptr);
    std::string trimmed = source.substr(0, source.find(';'));
    auto expected = sql().Rows("SELECT count(*), coalesce(sum(score), 0)" +
                               std::string(", count(*) FILTER (WHERE score <= 80) FROM (") +
                               trimmed + "\n) AS s WHERE score IS NOT NULL");
    ASSERT_EQ(expected.size(), 1u);
    EXPECT_EQ(h->histogram.sample_count, std::stoull(expected[0][0])) << source;
    EXPECT_NEAR(h->histogram.sample_sum, std::stod(expected[0][1]), 1e-6) << source;
    EXPECT_EQ(h->histogram.bucket[7].upper_bound, 80);
    EXPECT_EQ(h->histogram.bucket[7].cumulative_count, std::stoull(expected[0][2])) << source;
  }
}

TEST_F(PostgresCollectorsTest, ClientsPerState) {
  CollectResult r = Collect("clients");
  ASSERT_TRUE(r.success) << r.error;
  ExpectFamily(r, n::kClients, "state",
               ByLabel("SELECT DISTINCT state, (SELECT count(*) FROM gold_nurturing_state s2 "
                       "WHERE s2.state = s1.state) FROM gold_nurturing_state s1"));
}

TEST_F(PostgresCollectorsTest, HitlBreachedCountsLiveAndArchivedOnce) {
  // The fixture has an on-time edge (decided exactly at due_at) that must not count.
  ASSERT_GE(sql().Number("SELECT count(*) FROM approval_tasks WHERE pipeline_stage = 'E5' "
                         "AND decided_at = due_at"),
            1);
  CollectResult r = Collect("hitl");
  ASSERT_TRUE(r.success) << r.error;
  ExpectFamily(
      r, n::kHitlSlaBreachedTotal, "approval_type",
      ByLabel("SELECT approval_type, count(DISTINCT id) FROM ("
              "  SELECT * FROM approval_tasks UNION ALL SELECT * FROM approval_tasks_archive"
              ") AS every_task WHERE pipeline_stage = 'E5' AND decided_at - due_at > "
              "interval '0' GROUP BY approval_type"));
  ASSERT_GT(sql().Number("SELECT count(*) FROM approval_tasks_archive WHERE pipeline_stage = 'E5' "
                         "AND decided_at > due_at"),
            0)
      << "fixture has archived breaches";
}

TEST_F(PostgresCollectorsTest, HitlPendingOverdueAndResolutionTime) {
  CollectResult r = Collect("hitl");
  ASSERT_TRUE(r.success) << r.error;
  std::map<std::string, double> pending, overdue;
  for (const auto& row : sql().Rows("SELECT DISTINCT approval_type FROM approval_tasks "
                                    "WHERE pipeline_stage = 'E5'")) {
    pending[row[0]] = overdue[row[0]] = 0;
  }
  for (const auto& [k, v] : ByLabel("SELECT approval_type, count(*) FROM approval_tasks WHERE "
                                    "pipeline_stage = 'E5' AND status = 'pending' GROUP BY 1")) {
    pending[k] = v;
  }
  for (const auto& [k, v] :
       ByLabel("SELECT approval_type, count(*) FROM approval_tasks WHERE pipeline_stage = 'E5' "
               "AND status = 'pending' AND now() > due_at GROUP BY 1")) {
    overdue[k] = v;
  }
  double all_pending = 0, all_overdue = 0;
  for (const auto& [k, v] : pending) all_pending += v;
  for (const auto& [k, v] : overdue) all_overdue += v;
  ASSERT_GT(all_overdue, 0) << "fixture has overdue tasks";
  ASSERT_LT(all_overdue, all_pending) << "fixture has pending tasks not yet due";
  ExpectFamily(r, n::kHitlTasksPending, "approval_type", pending);
  ExpectFamily(r, n::kHitlTasksOverdue, "approval_type", overdue);
  // Mean over tasks decided in the last 7 days (the default window), in seconds.
  ExpectFamily(r, n::kHitlResolutionTime, "task_type",
               ByLabel("SELECT approval_type, sum(extract(epoch FROM decided_at)"
                       " - extract(epoch FROM created_at)) / count(*) FROM (SELECT * FROM "
                       "approval_tasks UNION SELECT * FROM approval_tasks_archive) t WHERE "
                       "pipeline_stage = 'E5' AND decided_at IS NOT NULL AND decided_at >= now() - "
                       "interval '7 days' GROUP BY 1"),
               1e-6);
}

TEST_F(PostgresCollectorsTest, GraphBuilds) {
  CollectResult r = Collect("graph");
  ASSERT_TRUE(r.success) << r.error;
  const auto* failures = FindSample(r.families, std::string(n::kGraphBuildFailuresTotal));
  ASSERT_NE(failures, nullptr);
  EXPECT_EQ(SampleValue(*failures),
            sql().Number("SELECT count(*) FROM graph_build_runs WHERE status = 'FAILED'"));
  const auto* last = FindSample(r.families, std::string(n::kGraphBuildLastSuccess));
  ASSERT_NE(last, nullptr);
  auto row = sql().Rows(
      "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
      "to_char(finished_at, 'US') FROM graph_build_runs WHERE status = 'SUCCEEDED' "
      "ORDER BY finished_at DESC LIMIT 1");
  ASSERT_EQ(row.size(), 1u);
  // Whole seconds exact, microseconds kept.
  double whole = sql().Number("SELECT extract(epoch FROM timestamp '" + row[0][0] + "')::bigint");
  EXPECT_EQ(std::floor(SampleValue(*last)), whole);
  EXPECT_NEAR(SampleValue(*last) - whole, std::stod(row[0][1]) / 1e6, 2e-6);
}

TEST_F(PostgresCollectorsTest, CronJobsOfEtapa5Only) {
  CollectResult r = Collect("cron");
  ASSERT_TRUE(r.success) << r.error;
  auto jobs = sql().Rows(
      "SELECT job_name, coalesce(to_char(last_run_at AT TIME ZONE 'UTC', 'J SSSS US'), ''), "
      "coalesce(to_char(next_run_at AT TIME ZONE 'UTC', 'J SSSS US'), '') FROM cron_job_status "
      "WHERE left(job_name, 2) = 'e5' AND length(job_name) >= 3");
  ASSERT_GE(jobs.size(), 3u);
  // Julian day, seconds of day, microseconds -> Unix seconds (Julian day 2440588 = 1970-01-01).
  auto unix = [](const std::string& text) {
    long day = 0, secs = 0, us = 0;
    std::sscanf(text.c_str(), "%ld %ld %ld", &day, &secs, &us);
    return std::pair<double, double>((day - 2440588) * 86400.0 + secs, us / 1e6);
  };
  EXPECT_EQ(SampleCount(r.families, std::string(n::kCronLastRun)), jobs.size());
  size_t with_next = 0;
  for (const auto& job : jobs) {
    for (auto [metric, text] : {std::pair{n::kCronLastRun, job[1]}, {n::kCronNextRun, job[2]}}) {
      const auto* m = FindSample(r.families, std::string(metric), {{"job_name", job[0]}});
      if (text.empty()) {
        EXPECT_EQ(m, nullptr) << "no sample for a NULL time: " << metric << " " << job[0];
        continue;
      }
      ASSERT_NE(m, nullptr) << metric << " " << job[0];
      auto [whole, frac] = unix(text);
      EXPECT_EQ(std::floor(SampleValue(*m)), whole) << metric << " " << job[0];
      EXPECT_NEAR(SampleValue(*m) - whole, frac, 2e-6) << metric << " " << job[0];
      with_next += metric == n::kCronNextRun;
    }
  }
  EXPECT_LT(with_next, jobs.size()) << "fixture has an e5_ job without next_run_at";
  EXPECT_EQ(FindSample(r.families, std::string(n::kCronLastRun), {{"job_name", "e4_invoice_sync"}}),
            nullptr);
}

TEST_F(PostgresCollectorsTest, WorkerErrorsReferralsAndNps) {
  CollectResult errors = Collect("worker_errors");
  ASSERT_TRUE(errors.success) << errors.error;
  ExpectFamily(errors, n::kWorkerErrorsTotal, "queue",
               ByLabel("SELECT queue, count(id) FROM worker_errors GROUP BY queue"));
  CollectResult referrals = Collect("referrals");
  ASSERT_TRUE(referrals.success) << referrals.error;
  ExpectFamily(referrals, n::kReferralStatus, "status",
               ByLabel("SELECT status, count(*) FROM gold_referrals GROUP BY status"));
  CollectResult nps = Collect("nps");
  ASSERT_TRUE(nps.success) << nps.error;
  ExpectFamily(nps, n::kNpsScore, "nps_category",
               ByLabel("SELECT nps_category, sum(nps_score)::float8 / count(*) FROM "
                       "gold_nps_responses WHERE created_at >= now() - interval '30 days' "
                       "GROUP BY 1"),
               1e-9);
  // A shorter window is a different mean: the window reaches the query.
  auto c = Config();
  c.collectors["nps"].window = std::chrono::hours(24 * 3);
  CollectResult short_window = Collect("nps", c);
  ASSERT_TRUE(short_window.success) << short_window.error;
  ExpectFamily(short_window, n::kNpsScore, "nps_category",
               ByLabel("SELECT nps_category, avg(nps_score::float8) FROM gold_nps_responses "
                       "WHERE now() - created_at <= interval '3 days' GROUP BY 1"),
               1e-9);
}

TEST_F(PostgresCollectorsTest, SpatialQueriesInPgStatActivity) {
  CollectResult idle = Collect("spatial");
  ASSERT_TRUE(idle.success) << idle.error;
  const auto* none = FindSample(idle.families, std::string(n::kSpatialQueriesActive));
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(SampleValue(*none), 0);

  // A PostGIS-like query (PostGIS is not installed; the text is what the runbook matches).
  std::thread slow([&] {
    testing::Sql other(db_->Dsn());
    other.Exec("SELECT pg_sleep(4) /* ST_DWithin(geom, anchor, 500) */");
  });
  ASSERT_TRUE(WaitForSpatialQuery()) << "the slow query never showed up";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CollectResult busy = Collect("spatial");
  auto expected = sql().Rows(
      "SELECT count(*), extract(epoch FROM max(clock_timestamp() - query_start)) FROM "
      "pg_stat_activity WHERE state = 'active' AND position('ST_' IN query) > 0 AND "
      "pid <> pg_backend_pid() AND datname = current_database()");
  slow.join();
  ASSERT_TRUE(busy.success) << busy.error;
  const auto* active = FindSample(busy.families, std::string(n::kSpatialQueriesActive));
  const auto* longest = FindSample(busy.families, std::string(n::kSpatialQueryMaxDuration));
  ASSERT_NE(active, nullptr);
  ASSERT_NE(longest, nullptr);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(expected[0][0], "1");
  EXPECT_EQ(SampleValue(*active), 1);
  // Measured moments apart: the exporter's value is a little smaller, never larger.
  double later = std::stod(expected[0][1]);
  EXPECT_GE(SampleValue(*longest), 0.3);
  EXPECT_LE(SampleValue(*longest), later);
  EXPECT_GT(SampleValue(*longest), later - 1.0);
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
