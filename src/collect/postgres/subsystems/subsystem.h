#pragma once
// One PostgreSQL subsystem as data: its queries with their default SQL, which catalogue metric
// each value column feeds, and its default schedule. No libpq and no config types: the config
// loader takes the defaults and the accepted keys from here, the collector factory the column
// contract. Metric names, help and labels are the catalogue's (src/catalog); a subsystem only
// points at catalogue entries.

#include <chrono>
#include <string_view>
#include <vector>

namespace cerniq::collect::postgres::subsystems {

// A value column of a query and the metric it feeds. The metric's catalogue labels are the
// query's label columns, so a query returns exactly those plus its value columns.
struct ValueColumn {
  std::string_view metric = {};  // a catalogue name (catalog::names)
  std::string_view column = {};
};

struct Query {
  std::string_view key = {};  // under postgres.collectors.<subsystem>: "query", ...
  // Written for the reference schema (tests/fixtures/schema.sql); the config may replace it.
  std::string_view default_sql = {};
  std::vector<ValueColumn> values = {};  // metrics that all have the same labels
  bool windowed = false;                 // $1 = the subsystem's window, in seconds
};

enum class Shape {
  kRows,       // every query's rows become samples (QueryCollector)
  kHistogram,  // one query of per-row values, bucketed by one aggregate in SQL (ChurnCollector)
};

struct Subsystem {
  std::string_view name = {};  // postgres.collectors.<name>, and the collector's name
  std::vector<Query> queries = {};
  Shape shape = Shape::kRows;
  std::chrono::milliseconds interval{30000};  // fresh at least once a minute
  std::chrono::milliseconds window{0};        // 0 = no windowed query
  std::vector<double> buckets = {};           // kHistogram: default upper bounds (+Inf implied)
};

}  // namespace cerniq::collect::postgres::subsystems
