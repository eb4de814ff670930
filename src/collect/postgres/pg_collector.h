#pragma once
// Base of the PostgreSQL collectors: owns the collector's connection (one PGconn per collector
// thread), turns every failure into a result instead of an exception, and reconnects once at
// once when a connection that worked was lost (server restarted, backend terminated).

#include <string>
#include <vector>

#include "collect/collector.h"
#include "collect/postgres/connection.h"

namespace cerniq::collect::postgres {

class PgCollector : public Collector {
 public:
  PgCollector(std::string name, ConnectionSettings settings);
  std::string Name() const override { return name_; }
  std::string Source() const override { return "postgres"; }
  CollectResult Collect() final;

 protected:
  // One pass over an open connection. On failure fills error (message naming the query) and
  // returns false.
  virtual bool Pass(PgConnection& conn, std::vector<prometheus::MetricFamily>& families,
                    QueryError& error) = 0;

 private:
  std::string name_;
  PgConnection conn_;
};

// "postgres.collectors.<collector>.<query key>: <message> (SQLSTATE xxxxx)".
std::string DescribeError(const std::string& query_name, const QueryError& error);

}  // namespace cerniq::collect::postgres
