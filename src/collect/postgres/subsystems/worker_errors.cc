// worker_errors: worker errors recorded per queue.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& WorkerErrors() {
  static const Subsystem worker_errors{
      .name = "worker_errors",
      .queries = {{.key = "query",
                   .default_sql =
                       "SELECT queue, count(*) AS value FROM worker_errors GROUP BY queue",
                   .values = {{n::kWorkerErrorsTotal, "value"}}}},
  };
  return worker_errors;
}

}  // namespace cerniq::collect::postgres::subsystems
