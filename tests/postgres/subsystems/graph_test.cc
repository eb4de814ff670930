// graph (collect/postgres/subsystems/graph.cc): failures and the last success, to the
// microsecond.

#include <cmath>
#include <string>

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

}  // namespace
}  // namespace cerniq
