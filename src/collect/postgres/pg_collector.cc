#include "collect/postgres/pg_collector.h"

#include <exception>

namespace cerniq::collect::postgres {

PgCollector::PgCollector(std::string name, ConnectionSettings settings)
    : name_(std::move(name)), conn_(std::move(settings)) {}

std::string DescribeError(const std::string& query_name, const QueryError& error) {
  std::string text = query_name + ": " + error.message;
  if (!error.sqlstate.empty()) text += " (SQLSTATE " + error.sqlstate + ")";
  return text;
}

CollectResult PgCollector::Collect() {
  CollectResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    QueryError error;
    bool had_connection = conn_.connected();
    if (!conn_.Connect(error)) {
      result.error = "postgres: " + error.message;
      return result;
    }
    std::vector<prometheus::MetricFamily> families;
    bool ok = false;
    try {
      ok = Pass(conn_, families, error);
    } catch (const std::exception& e) {
      error = AnswerError(conn_.Scrub(std::string("internal error: ") + e.what()));
    }
    if (ok) {
      result.success = true;
      result.source_reached = true;
      result.families = std::move(families);
      return result;
    }
    // A connection that had worked and is now gone: the server restarted or killed the
    // backend. One immediate reconnect spares a whole interval of missing values.
    // Not after a timeout: a server that stopped answering would likely hang the retry too.
    if (attempt == 0 && had_connection && error.connection_lost) continue;
    result.error = error.message;
    result.source_reached = error.reached;
    return result;
  }
  return result;
}

}  // namespace cerniq::collect::postgres
