#pragma once
// The generic PostgreSQL collector: each configured query yields rows of label columns and
// value columns, each value column one gauge/counter family. Column names are the contract:
// a query must return exactly the metric's label columns plus its value columns (any order),
// or the pass fails with an error naming the query and both column lists.

#include <string>
#include <string_view>
#include <vector>

#include "collect/postgres/pg_collector.h"
#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres {

using subsystems::ValueColumn;  // a metric and the column that feeds it

struct QuerySpec {
  std::string name;  // e.g. "postgres.collectors.hitl.open_query", used in errors
  std::string sql;
  std::vector<std::string> params;  // $1, ...
  std::vector<ValueColumn> values;  // all with the same labels
};

class QueryCollector : public PgCollector {
 public:
  // Each query's rows past `max_rows` are dropped (and counted as a limit reached).
  QueryCollector(std::string name, ConnectionSettings settings, std::vector<QuerySpec> specs,
                 long long max_rows = 10000);

 protected:
  bool Pass(PgConnection& conn, std::vector<prometheus::MetricFamily>& families,
            QueryError& error) override;

 private:
  std::vector<QuerySpec> specs_;
  long long max_rows_;
};

// Parses a value cell: numbers as PostgreSQL prints them (incl. NaN, Infinity), booleans t/f.
bool ParseNumber(const char* text, double& out);

// The result's column names, and the check that they are exactly `expected` (any order).
std::vector<std::string> ColumnNames(const PGresult* result);
bool CheckColumns(const std::string& query_name, const PGresult* result,
                  const std::vector<std::string>& expected, QueryError& error);

}  // namespace cerniq::collect::postgres
