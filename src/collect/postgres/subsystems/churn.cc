// churn: the histogram of per-client churn scores (nurturing_client_churn_score). The query
// names the scores; the collector (churn_collector.h) wraps it in one bucketing aggregate, so
// per-client rows never leave the server.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Churn() {
  static const Subsystem churn{
      .name = "churn",
      .queries = {{.key = "query",
                   .default_sql = "SELECT churn_score AS score FROM gold_nurturing_state",
                   .values = {{n::kChurnScore, "score"}}}},
      .shape = Shape::kHistogram,
      // 80 is the runbook's alert threshold.
      .buckets = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
  };
  return churn;
}

}  // namespace cerniq::collect::postgres::subsystems
