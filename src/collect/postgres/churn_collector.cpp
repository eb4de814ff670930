#include "collect/postgres/churn_collector.h"

#include <charconv>
#include <cstdlib>

#include "catalog/catalog.h"
#include "collect/families.h"
#include "collect/postgres/query_collector.h"

namespace cerniq::collect::postgres {

std::string FormatBound(double bound) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, bound);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

std::string TrimStatement(std::string sql) {
  while (!sql.empty() &&
         (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
    sql.pop_back();
  }
  return sql;
}

std::string ChurnCollector::AggregateSql(const std::string& source_sql,
                                         const std::vector<double>& bounds) {
  // Bounds are literals, not parameters: the planner then sees plain comparisons with
  // constants, and a numeric score is compared as numeric (a score of exactly 80 is <= 80).
  std::string sql = "SELECT count(*) AS count, sum(score) AS sum";
  for (size_t i = 0; i < bounds.size(); ++i) {
    sql += ",\n  count(*) FILTER (WHERE score <= " + FormatBound(bounds[i]) + ") AS le_" +
           std::to_string(i);
  }
  // A newline before ")" so a trailing `-- comment` in the configured query stays harmless.
  sql += "\nFROM (" + TrimStatement(source_sql) + "\n) AS churn_source WHERE score IS NOT NULL";
  return sql;
}

ChurnCollector::ChurnCollector(std::string name, ConnectionSettings settings,
                               std::string query_name, std::string source_sql,
                               std::vector<double> bounds)
    : PgCollector(std::move(name), std::move(settings)),
      query_name_(std::move(query_name)),
      source_sql_(std::move(source_sql)),
      check_sql_("SELECT * FROM (" + TrimStatement(source_sql_) + "\n) AS churn_source LIMIT 0"),
      aggregate_sql_(AggregateSql(source_sql_, bounds)),
      bounds_(std::move(bounds)) {}

bool ChurnCollector::Pass(PgConnection& conn, std::vector<prometheus::MetricFamily>& families,
                          QueryError& error) {
  // The query's columns first (planning only, no rows): a clear error instead of the
  // aggregate's "column score does not exist", and extra columns are refused too.
  ResultPtr shape = conn.Query(check_sql_, {}, error);
  if (!shape) {
    error.message = DescribeError(query_name_, error);
    return false;
  }
  if (!CheckColumns(query_name_, shape.get(), {"score"}, error)) return false;

  ResultPtr result = conn.Query(aggregate_sql_, {}, error);
  if (!result) {
    error.message = DescribeError(query_name_, error);
    return false;
  }
  const PGresult* res = result.get();
  if (PQntuples(res) != 1) {
    error = QueryError{query_name_ + ": aggregate returned no row", "", true};
    return false;
  }
  auto cell = [&](int col, double& out) {
    if (PQgetisnull(res, 0, col)) {
      out = 0;  // sum over no rows
      return true;
    }
    if (ParseNumber(PQgetvalue(res, 0, col), out)) return true;
    error = QueryError{query_name_ + ": score is not numeric: sum = \"" +
                           std::string(PQgetvalue(res, 0, col)).substr(0, 64) + "\"",
                       "", true};
    return false;
  };
  double count = 0, sum = 0;
  if (!cell(0, count) || !cell(1, sum)) return false;
  std::vector<HistogramBucket> buckets;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    double c = 0;
    if (!cell(static_cast<int>(i) + 2, c)) return false;
    buckets.push_back({bounds_[i], static_cast<std::uint64_t>(c)});
  }
  buckets.push_back({std::numeric_limits<double>::infinity(), static_cast<std::uint64_t>(count)});
  auto family = MakeFamily(catalog::names::kChurnScore);
  AddHistogram(family, {}, std::move(buckets), static_cast<std::uint64_t>(count), sum);
  families.push_back(std::move(family));
  return true;
}

}  // namespace cerniq::collect::postgres
