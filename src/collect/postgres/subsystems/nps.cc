// nps: mean NPS score per category over a window.

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

namespace n = catalog::names;

using namespace std::chrono_literals;

const Subsystem& Nps() {
  static const Subsystem nps{
      .name = "nps",
      // $1 = window in seconds.
      .queries = {{.key = "query",
                   .default_sql = R"SQL(SELECT nps_category, avg(nps_score) AS value
FROM gold_nps_responses
WHERE created_at > now() - make_interval(secs => $1)
GROUP BY nps_category)SQL",
                   .values = {{n::kNpsScore, "value"}},
                   .windowed = true}},
      .window = 30 * 24h,
  };
  return nps;
}

}  // namespace cerniq::collect::postgres::subsystems
