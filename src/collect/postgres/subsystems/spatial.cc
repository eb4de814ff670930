// spatial: active PostGIS (ST_) queries and the longest of them (runbook §3.3).

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

using namespace std::chrono_literals;

const Subsystem& Spatial() {
  // The runbook's §3.3 diagnosis, with `_` escaped (a bare `_` in LIKE matches any character)
  // and the exporter's own session left out (its query text contains the pattern). Sessions of
  // other databases on the same server are not Cerniq's.
  static const Subsystem spatial{
      .name = "spatial",
      .queries = {{.key = "query",
                   .default_sql = R"SQL(SELECT count(*) AS active,
       coalesce(extract(epoch FROM max(clock_timestamp() - query_start)), 0) AS max_duration
FROM pg_stat_activity
WHERE state = 'active' AND query LIKE '%ST\_%' AND pid <> pg_backend_pid()
  AND datname = current_database())SQL",
                   .values = {{n::kSpatialQueriesActive, "active"},
                              {n::kSpatialQueryMaxDuration, "max_duration"}}}},
      .interval = 15s,
  };
  return spatial;
}

}  // namespace cerniq::collect::postgres::subsystems
