#include "pg_test_db.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/wait.h"

namespace cerniq::testing {

std::optional<int> TestPgPort() {
  const char* port = std::getenv("CERNIQ_TEST_PG_PORT");
  if (port == nullptr || *port == '\0') return std::nullopt;
  return std::atoi(port);
}

int Shell(const std::string& command) {
  int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Sql::Sql(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (!ok()) ADD_FAILURE() << "test session: " << PQerrorMessage(conn_);
}

Sql::~Sql() { PQfinish(conn_); }

bool Sql::ok() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

std::vector<std::vector<std::string>> Sql::Rows(const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  PGresult* res = PQexec(conn_, sql.c_str());
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    ADD_FAILURE() << "test SQL failed: " << PQerrorMessage(conn_) << "\n" << sql;
  } else {
    for (int r = 0; r < PQntuples(res); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(res); ++c) row.emplace_back(PQgetvalue(res, r, c));
      rows.push_back(std::move(row));
    }
  }
  PQclear(res);
  return rows;
}

std::string Sql::Scalar(const std::string& sql) {
  auto rows = Rows(sql);
  if (rows.size() != 1 || rows[0].size() != 1) {
    ADD_FAILURE() << "expected one value from: " << sql;
    return "";
  }
  return rows[0][0];
}

double Sql::Number(const std::string& sql) { return std::strtod(Scalar(sql).c_str(), nullptr); }

void Sql::Exec(const std::string& sql) { Rows(sql); }

ScratchDb::ScratchDb(const std::string& host, int port, long clients, bool load)
    : host_(host), port_(port) {
  static std::atomic<int> counter{0};
  name_ = "cerniq_pgtest_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  std::string admin =
      "host=" + host + " port=" + std::to_string(port) + " user=postgres dbname=postgres";
  {
    Sql server(admin);
    if (!server.ok()) return;
    server.Exec("CREATE DATABASE " + name_);
  }
  if (load) {
    std::string cmd = std::string(CERNIQ_SOURCE_DIR) + "/tests/fixtures/load-demo.sh " + host +
                      " " + std::to_string(port) + " " + name_ + " " + std::to_string(clients);
    if (Shell(cmd) != 0) {
      ADD_FAILURE() << "fixture load failed: " << cmd;
      return;
    }
  }
  sql_ = std::make_unique<Sql>(Dsn());
  ok_ = sql_->ok();
}

ScratchDb::~ScratchDb() {
  sql_.reset();
  Sql server("host=" + host_ + " port=" + std::to_string(port_) + " user=postgres dbname=postgres");
  if (server.ok()) server.Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

bool ScratchDb::ApplyGrants() {
  return Shell("flock /tmp/cerniq-pg-grants-" + std::to_string(port_) +
               ".lock psql -X -q -v ON_ERROR_STOP=1 -h " + host_ + " -p " + std::to_string(port_) +
               " -U postgres -d " + name_ +
               " -f " CERNIQ_SOURCE_DIR "/sql/grants.sql >/dev/null 2>&1") == 0;
}

std::string ScratchDb::Dsn() const {
  return "host=" + host_ + " port=" + std::to_string(port_) + " user=postgres dbname=" + name_;
}

namespace {

std::string Capture(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

OwnCluster::OwnCluster() : port_(FreeLoopbackPort()) {
  char tmpl[] = "/tmp/cerniq-pgown.XXXXXX";
  dir_ = mkdtemp(tmpl);
  const char* bin = std::getenv("PG_BIN");
  bin_ = bin ? bin : Capture("ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1");
  as_ = geteuid() == 0 ? "runuser -u postgres -- " : "";
  if (geteuid() == 0) Shell("chown postgres:postgres " + dir_);
  ok_ = Shell(as_ + bin_ + "/initdb -D " + dir_ +
              "/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >" + dir_ +
              "/initdb.log 2>&1") == 0;
}

OwnCluster::~OwnCluster() {
  Shell(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w -t 30 stop >/dev/null 2>&1");
  std::filesystem::remove_all(dir_);
}

bool OwnCluster::WriteDataFile(const std::string& name, const std::string& text, unsigned mode) {
  std::string path = dir_ + "/data/" + name;
  {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  if (chmod(path.c_str(), mode) != 0) return false;
  return geteuid() != 0 || Shell("chown postgres:postgres " + path) == 0;
}

bool OwnCluster::Start(const std::string& settings) {
  return Shell(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
               "/server.log -w -t 30 -o \"-p " + std::to_string(port_) + " -k " + dir_ +
               " -c listen_addresses=127.0.0.1 -c fsync=off " + settings + "\" start >/dev/null") ==
         0;
}

bool OwnCluster::Stop() {
  return Shell(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m fast -w -t 30 stop >/dev/null") == 0;
}

std::string OwnCluster::ServerLog() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

collect::postgres::ConnectionSettings TestSettings(const std::string& dsn) {
  collect::postgres::ConnectionSettings s;
  s.dsn = dsn;
  s.connect_timeout = std::chrono::milliseconds(2000);
  s.statement_timeout = std::chrono::milliseconds(5000);
  s.application_name = "cerniq_exporter_test";
  s.backoff_initial = std::chrono::milliseconds(50);
  s.backoff_max = std::chrono::milliseconds(200);
  return s;
}

const prometheus::ClientMetric* FindSample(
    const std::vector<prometheus::MetricFamily>& families, const std::string& metric,
    const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& f : families) {
    if (f.name != metric) continue;
    for (const auto& m : f.metric) {
      if (m.label.size() != labels.size()) continue;
      bool same = true;
      for (size_t i = 0; i < labels.size(); ++i) {
        same = same && m.label[i].name == labels[i].first && m.label[i].value == labels[i].second;
      }
      if (same) return &m;
    }
  }
  return nullptr;
}

double SampleValue(const prometheus::ClientMetric& m) {
  // Counters and gauges: the collectors fill one of the two.
  return m.counter.value != 0 ? m.counter.value : m.gauge.value;
}

size_t SampleCount(const std::vector<prometheus::MetricFamily>& families,
                   const std::string& metric) {
  for (const auto& f : families) {
    if (f.name == metric) return f.metric.size();
  }
  return 0;
}

}  // namespace cerniq::testing
