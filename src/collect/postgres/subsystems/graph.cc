// graph: graph build runs: failures, and when the last one succeeded.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Graph() {
  static const Subsystem graph{
      .name = "graph",
      .queries = {{.key = "query",
                   .default_sql =
                       R"SQL(SELECT count(*) FILTER (WHERE status = 'FAILED') AS failures,
       extract(epoch FROM max(finished_at) FILTER (WHERE status = 'SUCCEEDED')) AS last_success
FROM graph_build_runs)SQL",
                   .values = {{n::kGraphBuildFailuresTotal, "failures"},
                              {n::kGraphBuildLastSuccess, "last_success"}}}},
  };
  return graph;
}

}  // namespace cerniq::collect::postgres::subsystems
