// clients: clients per nurturing lifecycle state.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Clients() {
  static const Subsystem clients{
      .name = "clients",
      .queries = {{.key = "query",
                   .default_sql =
                       "SELECT state, count(*) AS value FROM gold_nurturing_state GROUP BY state",
                   .values = {{n::kClients, "value"}}}},
  };
  return clients;
}

}  // namespace cerniq::collect::postgres::subsystems
