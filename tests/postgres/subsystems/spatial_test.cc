// spatial (collect/postgres/subsystems/spatial.cc): ST_ queries in pg_stat_activity, idle
// and with one running.

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::PostgresCollectorsTest;
using testing::SampleValue;
namespace n = catalog::names;

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

}  // namespace
}  // namespace cerniq
