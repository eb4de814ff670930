// referrals: referrals per status.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

const Subsystem& Referrals() {
  static const Subsystem referrals{
      .name = "referrals",
      .queries = {{.key = "query",
                   .default_sql =
                       "SELECT status, count(*) AS value FROM gold_referrals GROUP BY status",
                   .values = {{n::kReferralStatus, "value"}}}},
  };
  return referrals;
}

}  // namespace cerniq::collect::postgres::subsystems
