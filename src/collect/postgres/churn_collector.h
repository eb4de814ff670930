#pragma once
// nurturing_client_churn_score: a histogram computed by one aggregate in SQL. The configured
// query names the per-client scores (one column, `score`); the exporter wraps it in a single
// aggregate grouped by bucket (at most one row per bucket comes back), so per-client rows never
// leave the server and the whole histogram is one scan.

#include <string>
#include <vector>

#include "collect/postgres/pg_collector.h"

namespace cerniq::collect::postgres {

class ChurnCollector : public PgCollector {
 public:
  ChurnCollector(std::string name, ConnectionSettings settings, std::string query_name,
                 std::string source_sql, std::vector<double> bounds);

  // The aggregate statement run by each pass (exposed for the benchmark).
  static std::string AggregateSql(const std::string& source_sql, const std::vector<double>& bounds);

 protected:
  bool Pass(PgConnection& conn, std::vector<prometheus::MetricFamily>& families,
            QueryError& error) override;

 private:
  std::string query_name_;
  std::string source_sql_;
  std::string check_sql_;
  std::string aggregate_sql_;
  std::vector<double> bounds_;
  std::uint64_t checked_generation_ = 0;  // connection on which the columns were checked
};

// Shortest decimal text that reads back as the same double (a SQL numeric literal).
std::string FormatBound(double bound);

// The query without trailing semicolons and blanks, so it can be nested as a subquery.
std::string TrimStatement(std::string sql);

}  // namespace cerniq::collect::postgres
