// hitl: E5 human-in-the-loop approval tasks: SLA breaches, open tasks, resolution time.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

using namespace std::chrono_literals;

namespace {

// Live and archived tasks in one statement (one snapshot), each task once by id: the runbook's
// archiving copies then deletes in two statements, and a collection in between must see the
// task once, not twice; afterwards it is still counted from the archive.
constexpr std::string_view kBreachedSql = R"SQL(SELECT approval_type, count(*) AS value
FROM (SELECT id, approval_type FROM approval_tasks
      WHERE pipeline_stage = 'E5' AND decided_at > due_at
      UNION
      SELECT id, approval_type FROM approval_tasks_archive
      WHERE pipeline_stage = 'E5' AND decided_at > due_at) AS breached
GROUP BY approval_type)SQL";

constexpr std::string_view kOpenSql = R"SQL(SELECT approval_type,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending' AND due_at < now()) AS overdue
FROM approval_tasks
WHERE pipeline_stage = 'E5'
GROUP BY approval_type)SQL";

// $1 = window in seconds.
constexpr std::string_view kResolutionSql = R"SQL(SELECT approval_type AS task_type,
       avg(extract(epoch FROM decided_at - created_at)) AS value
FROM (SELECT id, approval_type, created_at, decided_at FROM approval_tasks
      WHERE pipeline_stage = 'E5' AND decided_at > now() - make_interval(secs => $1)
      UNION
      SELECT id, approval_type, created_at, decided_at FROM approval_tasks_archive
      WHERE pipeline_stage = 'E5' AND decided_at > now() - make_interval(secs => $1)) AS decided
GROUP BY approval_type)SQL";

}  // namespace

const Subsystem& Hitl() {
  static const Subsystem hitl{
      .name = "hitl",
      .queries = {{.key = "breached_query",
                   .default_sql = kBreachedSql,
                   .values = {{n::kHitlSlaBreachedTotal, "value"}}},
                  {.key = "open_query",
                   .default_sql = kOpenSql,
                   .values = {{n::kHitlTasksPending, "pending"},
                              {n::kHitlTasksOverdue, "overdue"}}},
                  {.key = "resolution_query",
                   .default_sql = kResolutionSql,
                   .values = {{n::kHitlResolutionTime, "value"}},
                   .windowed = true}},
      .window = 7 * 24h,
  };
  return hitl;
}

}  // namespace cerniq::collect::postgres::subsystems
