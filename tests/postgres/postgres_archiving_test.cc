// The runbook's maintenance on the fixture: §5.1 weekly archiving (copy, then delete, as two
// statements) and §5.2 monthly partition creation. No counter goes down, nothing is counted
// twice, the partition gauge follows.

#include <atomic>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collect/postgres/postgres_collectors.h"
#include "pg_test_db.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::SampleValue;
using testing::ScratchDb;
namespace n = catalog::names;

// The runbook's statements, verbatim (§5.1 steps 4 and 5).
const char* const kArchiveCopy = R"SQL(
INSERT INTO approval_tasks_archive 
SELECT * FROM approval_tasks 
WHERE pipeline_stage = 'E5'
  AND status IN ('approved', 'rejected', 'expired')
  AND decided_at < NOW() - INTERVAL '30 days'
)SQL";
const char* const kArchiveDelete = R"SQL(
DELETE FROM approval_tasks 
WHERE pipeline_stage = 'E5'
  AND status IN ('approved', 'rejected', 'expired')
  AND decided_at < NOW() - INTERVAL '30 days'
)SQL";
const char* const kExpireReferrals =
    "UPDATE gold_referrals SET status = 'EXPIRED' WHERE expires_at < NOW() AND status = "
    "'PENDING_CONSENT'";

class PostgresArchivingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = testing::TestPgPort();
    if (!port) GTEST_SKIP() << "CERNIQ_TEST_PG_PORT not set (run tests/run.sh)";
    db_ = std::make_unique<ScratchDb>("127.0.0.1", *port, 1000);
    ASSERT_TRUE(db_->ok());
    config::PostgresConfig c;
    c.dsn = db_->Dsn();
    for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
      collectors_[collector->Name()] = std::move(collector);
    }
  }

  CollectResult Collect(const std::string& name) {
    CollectResult r = collectors_.at(name)->Collect();
    EXPECT_TRUE(r.success) << name << ": " << r.error;
    return r;
  }

  // hitl_sla_breached_total per approval_type, as exported.
  std::map<std::string, double> Breached() {
    std::map<std::string, double> out;
    CollectResult r = Collect("hitl");
    for (const auto& f : r.families) {
      if (f.name != n::kHitlSlaBreachedTotal) continue;
      for (const auto& m : f.metric) out[m.label.at(0).value] = m.counter.value;
    }
    return out;
  }

  // The same, computed independently: distinct E5 task ids decided late, in either table.
  std::map<std::string, double> BreachedBySql() {
    std::map<std::string, double> out;
    for (const auto& row : db_->sql().Rows(
             "SELECT approval_type, count(*) FROM (SELECT DISTINCT id, approval_type FROM ("
             "SELECT id, approval_type, decided_at, due_at, pipeline_stage FROM approval_tasks "
             "UNION ALL SELECT id, approval_type, decided_at, due_at, pipeline_stage FROM "
             "approval_tasks_archive) a WHERE pipeline_stage = 'E5' AND decided_at > due_at) d "
             "GROUP BY approval_type")) {
      out[row[0]] = std::stod(row[1]);
    }
    return out;
  }

  // Every counter of every collector, keyed by series.
  std::map<std::string, double> Counters() {
    std::map<std::string, double> out;
    for (auto& [name, collector] : collectors_) {
      CollectResult r = collector->Collect();
      EXPECT_TRUE(r.success) << name << ": " << r.error;
      for (const auto& f : r.families) {
        if (f.type != prometheus::MetricType::Counter) continue;
        for (const auto& m : f.metric) {
          std::string key = f.name;
          for (const auto& l : m.label) key += "," + l.name + "=" + l.value;
          out[key] = m.counter.value;
        }
      }
    }
    return out;
  }

  void ExpectNoCounterWentDown(const std::map<std::string, double>& before,
                               const std::map<std::string, double>& after, const char* step) {
    for (const auto& [series, value] : before) {
      auto it = after.find(series);
      ASSERT_NE(it, after.end()) << step << ": " << series << " disappeared";
      EXPECT_GE(it->second, value) << step << ": " << series << " went down";
    }
  }

  double PartitionGauge() {
    CollectResult r = Collect("partitions");
    const auto* m = FindSample(r.families, std::string(n::kNextPartitionExists));
    EXPECT_NE(m, nullptr);
    return m ? SampleValue(*m) : -1;
  }

  std::unique_ptr<ScratchDb> db_;
  std::map<std::string, std::unique_ptr<collect::Collector>> collectors_;
};

TEST_F(PostgresArchivingTest, WeeklyArchivingNeitherDropsNorDoubleCounts) {
  auto& sql = db_->sql();
  double archivable = sql.Number(
      "SELECT count(*) FROM approval_tasks WHERE pipeline_stage = 'E5' AND decided_at > due_at "
      "AND decided_at < now() - interval '30 days' AND status <> 'pending'");
  ASSERT_GT(archivable, 0) << "the fixture has breached tasks old enough to archive";

  auto breached = Breached();
  EXPECT_EQ(breached, BreachedBySql());
  auto counters = Counters();

  sql.Exec(kArchiveCopy);  // copied, not yet deleted: in both tables now
  ASSERT_GT(sql.Number("SELECT count(*) FROM approval_tasks a JOIN approval_tasks_archive b "
                       "USING (id)"),
            0);
  EXPECT_EQ(Breached(), breached) << "a collection between the copy and the delete";
  EXPECT_EQ(Breached(), BreachedBySql());

  sql.Exec(kArchiveCopy);  // a re-run of the copy (the script retried): duplicates in the archive
  EXPECT_EQ(Breached(), breached);

  sql.Exec(kArchiveDelete);
  ASSERT_EQ(sql.Number("SELECT count(*) FROM approval_tasks a JOIN approval_tasks_archive b "
                       "USING (id)"),
            0);
  EXPECT_EQ(Breached(), breached) << "after the delete";
  EXPECT_EQ(Breached(), BreachedBySql());

  sql.Exec(kExpireReferrals);
  auto after = Counters();
  ExpectNoCounterWentDown(counters, after, "§5.1");

  // The archiving in one open transaction: a collection meanwhile sees the old state.
  sql.Exec(
      "UPDATE approval_tasks SET decided_at = now() - interval '31 days', "
      "due_at = now() - interval '32 days', status = 'approved' "
      "WHERE id IN (SELECT id FROM approval_tasks WHERE pipeline_stage = 'E5' "
      "AND status = 'pending' LIMIT 3)");
  auto grown = Breached();
  EXPECT_EQ(grown, BreachedBySql());
  double total_before = 0, total_grown = 0;
  for (auto& [k, v] : breached) total_before += v;
  for (auto& [k, v] : grown) total_grown += v;
  EXPECT_EQ(total_grown, total_before + 3) << "new late decisions count";
  sql.Exec("BEGIN");
  sql.Exec(kArchiveCopy);
  EXPECT_EQ(Breached(), grown);
  sql.Exec(kArchiveDelete);
  EXPECT_EQ(Breached(), grown);
  sql.Exec("COMMIT");
  EXPECT_EQ(Breached(), grown);
  ExpectNoCounterWentDown(after, Counters(), "§5.1 in a transaction");
}

TEST_F(PostgresArchivingTest, CountUnchangedWhileArchivingRunsConcurrently) {
  // One thread archives (the runbook's copy, then delete) and restores the same tasks, over and
  // over; collections running meanwhile, at any point between those statements, see the same
  // counts: every statement commits on its own, and the collector's query reads one snapshot.
  auto before = Breached();
  ASSERT_FALSE(before.empty());
  ASSERT_GT(db_->sql().Number("SELECT count(*) FROM approval_tasks WHERE pipeline_stage = 'E5' "
                              "AND decided_at > due_at AND decided_at < now() - interval '30 "
                              "days' AND status <> 'pending'"),
            0)
      << "breached tasks move back and forth";
  // The archiver runs until enough collections have overlapped it (bounded in count), so a
  // loaded machine cannot finish the archiving before the collections start.
  constexpr int kOverlappingCollections = 20;
  std::atomic<bool> done{false};
  std::atomic<int> collections{0};
  std::thread archiver([&] {
    testing::Sql writer(db_->Dsn());
    const std::string ids =
        "SELECT id FROM approval_tasks_archive WHERE pipeline_stage = 'E5' AND status IN "
        "('approved', 'rejected', 'expired') AND decided_at < now() - interval '30 days' "
        "AND id < 1000000";
    for (int i = 0; i < 1000 && (i < 15 || collections < kOverlappingCollections); ++i) {
      writer.Exec(kArchiveCopy);
      writer.Exec(kArchiveDelete);
      writer.Exec(
          "INSERT INTO approval_tasks SELECT DISTINCT ON (id) * FROM "
          "approval_tasks_archive WHERE id IN (" +
          ids + ") ORDER BY id");
      writer.Exec("DELETE FROM approval_tasks_archive WHERE id IN (" + ids + ")");
    }
    done = true;
  });
  while (!done && collections < 2000) {  // bounded
    auto now = Breached();
    EXPECT_EQ(now, before) << "collection " << collections.load();
    if (now != before) break;
    ++collections;
  }
  archiver.join();
  EXPECT_GE(collections.load(), kOverlappingCollections) << "collections overlapped the archiving";
  EXPECT_EQ(Breached(), before);
  EXPECT_EQ(BreachedBySql(), before);
}

TEST_F(PostgresArchivingTest, ReferralGaugeFollowsExpiry) {
  auto& sql = db_->sql();
  ASSERT_GT(sql.Number("SELECT count(*) FROM gold_referrals WHERE expires_at < now() AND status "
                       "= 'PENDING_CONSENT'"),
            0);
  sql.Exec(kExpireReferrals);
  CollectResult r = Collect("referrals");
  for (const auto& row : sql.Rows("SELECT status, count(*) FROM gold_referrals GROUP BY status")) {
    const auto* m = FindSample(r.families, std::string(n::kReferralStatus), {{"status", row[0]}});
    ASSERT_NE(m, nullptr) << row[0];
    EXPECT_EQ(SampleValue(*m), std::stod(row[1])) << row[0];
  }
}

TEST_F(PostgresArchivingTest, MonthlyPartitionGaugeFollows) {
  auto& sql = db_->sql();
  EXPECT_EQ(PartitionGauge(), 0) << "schema.sql leaves next month to §5.2";

  // §5.2 step 3, with the dates the runbook's `date -d` computes (in the server's time zone).
  auto row = sql.Rows(
      "SELECT to_char(now() + interval '1 month', 'YYYY_MM'), "
      "to_char(date_trunc('month', now()) + interval '1 month', 'YYYY-MM-DD'), "
      "to_char(date_trunc('month', now()) + interval '2 month', 'YYYY-MM-DD')");
  ASSERT_EQ(row.size(), 1u);
  std::string create = "CREATE TABLE IF NOT EXISTS gold_nurturing_actions_" + row[0][0] +
                       " PARTITION OF gold_nurturing_actions_partitioned FOR VALUES FROM ('" +
                       row[0][1] + "') TO ('" + row[0][2] + "')";
  auto counters = Counters();
  sql.Exec(create);
  EXPECT_EQ(PartitionGauge(), 1);
  sql.Exec(create);  // IF NOT EXISTS: a re-run changes nothing
  EXPECT_EQ(PartitionGauge(), 1);
  ExpectNoCounterWentDown(counters, Counters(), "§5.2");

  // A partition for a later month, or a default partition, does not count.
  sql.Exec("DROP TABLE gold_nurturing_actions_" + row[0][0]);
  EXPECT_EQ(PartitionGauge(), 0);
  sql.Exec("CREATE TABLE later PARTITION OF gold_nurturing_actions_partitioned FOR VALUES FROM ('" +
           row[0][2] + "') TO ('2999-01-01')");
  sql.Exec("CREATE TABLE fallback PARTITION OF gold_nurturing_actions_partitioned DEFAULT");
  EXPECT_EQ(PartitionGauge(), 0);
}

}  // namespace
}  // namespace cerniq
