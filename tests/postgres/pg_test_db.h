#pragma once
// Test helpers: a scratch database per test binary on the server of tests/run.sh (so tests
// running in parallel, and other suites on the same server, never see each other's rows), an
// independent libpq session for the expected values, and lookups in collected families.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <prometheus/metric_family.h>

#include "collect/postgres/connection.h"

namespace cerniq::testing {

// Port of the test server, or nullopt when CERNIQ_TEST_PG_PORT is not set (tests then skip).
std::optional<int> TestPgPort();

// Runs `command` through /bin/sh; returns its exit status (stdout/stderr go to the test log).
int Shell(const std::string& command);

// A plain libpq session (not the exporter's) for fixtures and expected values.
class Sql {
 public:
  explicit Sql(const std::string& conninfo);
  ~Sql();
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;
  bool ok() const;
  // Runs a statement; fails the test (ADD_FAILURE) and returns an empty table on error.
  std::vector<std::vector<std::string>> Rows(const std::string& sql);
  std::string Scalar(const std::string& sql);
  double Number(const std::string& sql);
  void Exec(const std::string& sql);

 private:
  PGconn* conn_ = nullptr;
};

// A fresh database on host:port with the reference schema and demo data for `clients`
// clients, dropped on destruction.
class ScratchDb {
 public:
  ScratchDb(const std::string& host, int port, long clients, bool load = true);
  ~ScratchDb();
  const std::string& name() const { return name_; }
  std::string Dsn() const;  // for the exporter (superuser; the session is read-only anyway)
  Sql& sql() { return *sql_; }
  // Runs sql/grants.sql on this database. The role is cluster-wide: runs of parallel tests are
  // serialized with a file lock (advisory locks are per database), so they do not collide.
  bool ApplyGrants();
  bool ok() const { return ok_; }

 private:
  std::string host_;
  int port_;
  std::string name_;
  bool ok_ = false;
  std::unique_ptr<Sql> sql_;
};

// A throwaway PostgreSQL cluster, as scripts/services.sh starts one: initdb in a temp dir,
// loopback only on a free port, run as the `postgres` user when we are root. Every wait is
// bounded (-t 30). For tests that stop, restart or reconfigure their server (faults, TLS), so the
// shared test server is never touched.
class OwnCluster {
 public:
  OwnCluster();
  ~OwnCluster();
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;
  bool ok() const { return ok_; }
  int port() const { return port_; }
  // Writes a file into the data directory, owned by the server's user, with this mode (server
  // keys must be 0600; pg_hba.conf is replaced this way).
  bool WriteDataFile(const std::string& name, const std::string& text, unsigned mode = 0600);
  // `settings` are extra `-c name=value` server options (ssl=on ...).
  bool Start(const std::string& settings = "");
  bool Stop();
  std::string ServerLog() const;

 private:
  int port_;
  std::string dir_, bin_, as_;
  bool ok_ = false;
};

// Settings of an exporter connection to dsn, with short timeouts for tests.
collect::postgres::ConnectionSettings TestSettings(const std::string& dsn);

// The sample of `metric` with exactly these labels in families, or nullopt.
const prometheus::ClientMetric* FindSample(
    const std::vector<prometheus::MetricFamily>& families, const std::string& metric,
    const std::vector<std::pair<std::string, std::string>>& labels = {});
double SampleValue(const prometheus::ClientMetric& m);
// Number of samples of one family (0 when absent).
size_t SampleCount(const std::vector<prometheus::MetricFamily>& families,
                   const std::string& metric);

}  // namespace cerniq::testing
