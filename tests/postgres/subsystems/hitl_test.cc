// hitl (collect/postgres/subsystems/hitl.cc): breaches live and archived once, pending,
// overdue and resolution time against independent SQL.

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

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

}  // namespace
}  // namespace cerniq
