// partitions: whether next month's partition of the actions table exists (runbook §5.2).

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Partitions() {
  // Whether a range partition of the actions table contains the first instant of next month
  // (the runbook's §5.2 creates it as gold_nurturing_actions_YYYY_MM; any name counts). Reads
  // the catalogue only, so no grant on the table is needed.
  static const Subsystem partitions{
      .name = "partitions",
      .queries = {{.key = "query",
                   .default_sql = R"SQL(SELECT coalesce(bool_or(
         bound[1]::timestamptz <= n.next_month AND n.next_month < bound[2]::timestamptz),
         false)::int AS value
FROM (SELECT date_trunc('month', now()) + interval '1 month' AS next_month) AS n
LEFT JOIN (pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid)
  ON i.inhparent = 'gold_nurturing_actions_partitioned'::regclass
LEFT JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid),
                               $re$FROM \('([^']*)'\) TO \('([^']*)'\)$re$) AS bound ON true)SQL",
                   .values = {{n::kNextPartitionExists, "value"}}}},
  };
  return partitions;
}

}  // namespace cerniq::collect::postgres::subsystems
