#include "collector_fixture.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "collect/postgres/postgres_collectors.h"

namespace cerniq::testing {

ScratchDb* PostgresCollectorsTest::db_ = nullptr;

void PostgresCollectorsTest::SetUpTestSuite() {
  auto port = TestPgPort();
  if (!port) return;
  db_ = new ScratchDb("127.0.0.1", *port, kClients);
}

void PostgresCollectorsTest::TearDownTestSuite() {
  delete db_;
  db_ = nullptr;
}

void PostgresCollectorsTest::SetUp() {
  if (!TestPgPort()) GTEST_SKIP() << "CERNIQ_TEST_PG_PORT not set (run tests/run.sh)";
  ASSERT_TRUE(db_ && db_->ok());
}

config::PostgresConfig PostgresCollectorsTest::Config() {
  config::PostgresConfig c;
  c.dsn = db_->Dsn();
  c.application_name = "cerniq_exporter_test";
  return c;
}

collect::CollectResult PostgresCollectorsTest::Collect(const std::string& name,
                                                       const config::PostgresConfig& c) {
  for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
    if (collector->Name() == name) return collector->Collect();
  }
  ADD_FAILURE() << "no collector " << name;
  return {};
}

std::map<std::string, double> PostgresCollectorsTest::ByLabel(const std::string& query) {
  std::map<std::string, double> out;
  for (const auto& row : sql().Rows(query)) out[row[0]] = std::strtod(row[1].c_str(), nullptr);
  return out;
}

void PostgresCollectorsTest::ExpectFamily(const collect::CollectResult& r, std::string_view metric,
                                          const std::string& label,
                                          const std::map<std::string, double>& expected,
                                          double tolerance) {
  ASSERT_FALSE(expected.empty()) << metric << ": the fixture should produce values";
  EXPECT_EQ(SampleCount(r.families, std::string(metric)), expected.size()) << metric;
  for (const auto& [value, want] : expected) {
    const auto* m = FindSample(r.families, std::string(metric), {{label, value}});
    ASSERT_NE(m, nullptr) << metric << "{" << label << "=" << value << "}";
    EXPECT_NEAR(SampleValue(*m), want, tolerance) << metric << "{" << label << "=" << value << "}";
  }
}

bool PostgresCollectorsTest::WaitForSpatialQuery() {
  for (int i = 0; i < 200; ++i) {
    if (sql().Number("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
                     "position('ST_' IN query) > 0 AND pid <> pg_backend_pid() AND "
                     "datname = current_database()") > 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace cerniq::testing
