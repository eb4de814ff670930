#pragma once
// The fixture of the PostgreSQL collector tests: one scratch database with the demo data, the
// exporter's collectors built from a config, and an independent session for the expected values
// (queries written for the tests, not the collectors').

#include <map>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "collect/collector.h"
#include "config/postgres_config.h"
#include "pg_test_db.h"

namespace cerniq::testing {

class PostgresCollectorsTest : public ::testing::Test {
 protected:
  static constexpr long kClients = 2000;

  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // The exporter's config for the scratch database (every subsystem with its defaults).
  config::PostgresConfig Config();

  // Runs one pass of the named collector built by the factory from config.
  collect::CollectResult Collect(const std::string& name, const config::PostgresConfig& c);
  collect::CollectResult Collect(const std::string& name) { return Collect(name, Config()); }

  Sql& sql() { return db_->sql(); }

  // label value -> number, from a two-column query.
  std::map<std::string, double> ByLabel(const std::string& query);

  // Every sample of a family equals the expected map, and nothing else is there.
  void ExpectFamily(const collect::CollectResult& r, std::string_view metric,
                    const std::string& label, const std::map<std::string, double>& expected,
                    double tolerance = 0);

  // Polls (bounded, 10 s) until a query with ST_ runs in the scratch database.
  bool WaitForSpatialQuery();

  static ScratchDb* db_;
};

}  // namespace cerniq::testing
