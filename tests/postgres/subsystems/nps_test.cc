// nps (collect/postgres/subsystems/nps.cc): the mean per category over the default window
// and a configured one.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, NpsMeanOverTheWindow) {
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

}  // namespace
}  // namespace cerniq
