// Faults: database down at start, restarted, backends terminated, a query beyond
// statement_timeout, a query with a wrong column. The right collector fails, the others keep
// going, nothing crashes, /health/db follows. The restart tests run their own cluster
// (loopback, temp dir), so the shared test server is never stopped.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "collect/postgres/postgres_collectors.h"
#include "collect/runner.h"
#include "collect/snapshot.h"
#include "pg_test_db.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using std::chrono::milliseconds;

using testing::OwnCluster;

struct Exporter {
  collect::SnapshotStore store;
  std::vector<std::pair<std::unique_ptr<collect::Collector>, collect::Schedule>> collectors;

  explicit Exporter(const config::PostgresConfig& c)
      : collectors(collect::postgres::MakePostgresCollectors(c)) {
    for (auto& [collector, s] : collectors) store.Register(collector->Name(), collector->Source());
  }
  // One pass of every collector, published as the runner would; name -> state.
  std::map<std::string, collect::CollectorState> PassAll() {
    std::map<std::string, collect::CollectorState> out;
    for (auto& [collector, s] : collectors) {
      auto state = collect::Runner::RunOnce(*collector);
      out[state.name] = state;
      store.Publish(std::move(state));
    }
    return out;
  }
  bool Healthy() { return collect::postgres::PostgresConnected(*store.Current()); }
};

config::PostgresConfig FastConfig(const std::string& dsn) {
  config::PostgresConfig c;
  c.dsn = dsn;
  c.connect_timeout = milliseconds(2000);
  c.reconnect_backoff_max = milliseconds(100);
  return c;
}

TEST(PostgresFaultsTest, DownAtStartThenUpThenRestarted) {
  OwnCluster cluster;
  ASSERT_TRUE(cluster.ok());
  std::string host_port = "host=127.0.0.1 port=" + std::to_string(cluster.port());
  Exporter exporter(FastConfig(host_port + " user=postgres dbname=cerniq"));
  EXPECT_FALSE(exporter.Healthy()) << "before the first pass";

  // Down at start: every collector fails without reaching the server; nothing throws.
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_FALSE(state.success) << name;
    EXPECT_FALSE(state.source_reached) << name;
    EXPECT_NE(state.error.find("cannot connect"), std::string::npos) << name << ": " << state.error;
    EXPECT_TRUE(state.families.empty()) << name;
  }
  EXPECT_FALSE(exporter.Healthy());

  // Up: the next pass after the backoff connects.
  ASSERT_TRUE(cluster.Start());
  ASSERT_EQ(testing::Shell("psql -X -q -h 127.0.0.1 -p " + std::to_string(cluster.port()) +
                           " -U postgres -d postgres -c 'CREATE DATABASE cerniq'"),
            0);
  ASSERT_EQ(testing::Shell(std::string(CERNIQ_SOURCE_DIR) +
                           "/tests/fixtures/load-demo.sh "
                           "127.0.0.1 " +
                           std::to_string(cluster.port()) + " cerniq 200"),
            0);
  std::this_thread::sleep_for(milliseconds(250));
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_TRUE(state.success) << name << ": " << state.error;
  }
  EXPECT_TRUE(exporter.Healthy());

  // Restarted between two passes: the lost connections are re-established within the pass.
  ASSERT_TRUE(cluster.Stop());
  ASSERT_TRUE(cluster.Start());
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_TRUE(state.success) << name << ": " << state.error;
  }
  EXPECT_TRUE(exporter.Healthy());

  // Backends terminated by an operator (runbook §3.3's pg_terminate_backend): same.
  testing::Sql admin(host_port + " user=postgres dbname=cerniq");
  EXPECT_GE(admin.Number("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                         "application_name = 'cerniq_exporter'"),
            10);
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_TRUE(state.success) << name << ": " << state.error;
  }

  // A backend that stops answering (SIGSTOP): the pass gives up at timeout + grace instead of
  // hanging, the others are unaffected, and the next pass reconnects once it is gone.
  {
    auto c = FastConfig(host_port + " user=postgres dbname=cerniq");
    c.application_name = "cerniq_exporter_frozen";
    c.collectors["clients"].timeout = milliseconds(500);
    std::unique_ptr<collect::Collector> clients;
    for (auto& [collector, s] : collect::postgres::MakePostgresCollectors(c)) {
      if (collector->Name() == "clients") clients = std::move(collector);
    }
    ASSERT_TRUE(clients);
    ASSERT_TRUE(clients->Collect().success);
    std::string pid = admin.Scalar(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'cerniq_exporter_frozen'");
    ASSERT_FALSE(pid.empty());
    ASSERT_EQ(testing::Shell("kill -STOP " + pid), 0);
    auto begin = std::chrono::steady_clock::now();
    CollectResult frozen = clients->Collect();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    testing::Shell("kill -CONT " + pid);
    EXPECT_FALSE(frozen.success);
    EXPECT_NE(frozen.error.find("no reply within statement_timeout"), std::string::npos)
        << frozen.error;
    EXPECT_LT(seconds, 4.0);
    EXPECT_GE(seconds, 2.0);
    std::this_thread::sleep_for(milliseconds(250));
    CollectResult again = clients->Collect();
    EXPECT_TRUE(again.success) << again.error;
  }

  // Down while running: failures, /health/db false; back up: recovered.
  ASSERT_TRUE(cluster.Stop());
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_FALSE(state.success) << name;
    EXPECT_FALSE(state.source_reached) << name;
  }
  EXPECT_FALSE(exporter.Healthy());
  ASSERT_TRUE(cluster.Start());
  std::this_thread::sleep_for(milliseconds(250));
  for (auto& [name, state] : exporter.PassAll()) {
    EXPECT_TRUE(state.success) << name << ": " << state.error;
  }
  EXPECT_TRUE(exporter.Healthy());
}

TEST(PostgresFaultsTest, SlowAndBrokenQueriesDoNotHoldBackTheOthers) {
  auto port = testing::TestPgPort();
  if (!port) GTEST_SKIP() << "CERNIQ_TEST_PG_PORT not set (run tests/run.sh)";
  testing::ScratchDb db("127.0.0.1", *port, 300);
  ASSERT_TRUE(db.ok());
  auto c = FastConfig(db.Dsn());
  for (auto& [name, collector] : c.collectors) collector.interval = milliseconds(100);
  // Beyond its statement_timeout: cancelled by the server.
  c.collectors["clients"].timeout = milliseconds(300);
  c.collectors["clients"].queries["query"] =
      "SELECT 'ACTIVE' AS state, 1 AS value FROM pg_sleep(3)";
  // A column the table does not have.
  c.collectors["graph"].queries["query"] =
      "SELECT count(*) AS failures, max(ended_at) AS last_success FROM graph_build_runs";

  collect::SnapshotStore store;
  collect::Runner runner(store);
  for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(c)) {
    runner.Add(std::move(collector), schedule);
  }
  auto start = std::chrono::system_clock::now();
  double start_unix = std::chrono::duration<double>(start.time_since_epoch()).count();
  runner.Start();
  std::this_thread::sleep_for(milliseconds(2000));
  auto snapshot = store.Current();
  runner.Stop();

  ASSERT_EQ(snapshot->collectors.size(), 10u);
  for (const auto& [name, state] : snapshot->collectors) {
    ASSERT_TRUE(state->finished_first_pass) << name;
    EXPECT_TRUE(state->source_reached) << name;
    if (name == "clients") {
      EXPECT_FALSE(state->success);
      EXPECT_NE(state->error.find("postgres.collectors.clients.query: canceling statement due to "
                                  "statement timeout (SQLSTATE 57014)"),
                std::string::npos)
          << state->error;
      EXPECT_LT(state->duration_seconds, 1.5) << "cancelled at the timeout, not after 3s";
    } else if (name == "graph") {
      EXPECT_FALSE(state->success);
      EXPECT_NE(state->error.find("postgres.collectors.graph.query: column \"ended_at\" does not "
                                  "exist (SQLSTATE 42703)"),
                std::string::npos)
          << state->error;
      EXPECT_TRUE(state->families.empty());
    } else {
      EXPECT_TRUE(state->success) << name << ": " << state->error;
      // Kept going: a pass finished after the slow query had started twice over.
      EXPECT_GT(state->last_success_unix, start_unix + 1.0) << name;
    }
  }
  // The server answered every collector: /health/db is about connectivity, not query errors.
  EXPECT_TRUE(collect::postgres::PostgresConnected(*snapshot));
}

}  // namespace
}  // namespace cerniq
