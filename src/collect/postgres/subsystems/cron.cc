// cron: last and next run of the Etapa 5 (e5_%) cron jobs.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Cron() {
  static const Subsystem cron{
      .name = "cron",
      .queries = {{.key = "query",
                   .default_sql = R"SQL(SELECT job_name,
       extract(epoch FROM last_run_at) AS last_run,
       extract(epoch FROM next_run_at) AS next_run
FROM cron_job_status
WHERE job_name LIKE 'e5_%')SQL",
                   .values = {{n::kCronLastRun, "last_run"}, {n::kCronNextRun, "next_run"}}}},
  };
  return cron;
}

}  // namespace cerniq::collect::postgres::subsystems
