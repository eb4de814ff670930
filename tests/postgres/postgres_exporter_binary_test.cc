// The real cerniq_exporter binary against PostgreSQL, as a user runs it: `--postgres.dsn`, the
// password file from CERNIQ_POSTGRES_PASSWORD_FILE, the role of sql/grants.sql; /metrics
// against independent SQL, the runbook's maintenance while it runs, and /health/db.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "pg_test_db.h"
#include "support/http_get.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace cerniq {
namespace {

using std::chrono::milliseconds;

// The value of one exposed series (`name{labels}` exactly as exposed), or nullopt.
std::optional<std::string> SeriesText(const std::string& body, const std::string& series) {
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return line.substr(series.size() + 1);
  }
  return std::nullopt;
}

double Series(const std::string& body, const std::string& series) {
  auto text = SeriesText(body, series);
  EXPECT_TRUE(text.has_value()) << "no series " << series;
  return text ? std::stod(*text) : -1;
}

class PostgresExporterBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::TestPgPort();
    if (!port_) GTEST_SKIP() << "CERNIQ_TEST_PG_PORT not set (run tests/run.sh)";
    db_ = std::make_unique<testing::ScratchDb>("127.0.0.1", *port_, 1000);
    ASSERT_TRUE(db_->ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("cerniq-pgbin-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    exporter_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  void Start(const std::string& dsn, std::vector<std::string> env = {}) {
    http_port_ = testing::FreeLoopbackPort();
    // Short intervals so the test sees maintenance steps within seconds.
    std::string config = Write("cerniq.yml", R"(postgres:
  collectors:
    hitl: {interval: 300ms}
    partitions: {interval: 300ms}
    churn: {interval: 300ms}
)");
    exporter_ = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{CERNIQ_EXPORTER_BIN, "--web.listen-address",
                                 "127.0.0.1:" + std::to_string(http_port_), "--config.file", config,
                                 "--redis.url", "redis://127.0.0.1:1/0", "--postgres.dsn", dsn,
                                 "--log.level", "warn"},
        env);
  }
  testing::HttpResult Get(const std::string& path) {
    return testing::HttpGet("http://127.0.0.1:" + std::to_string(http_port_) + path,
                            milliseconds(3000));
  }
  std::string Metrics() { return Get("/metrics").body; }

  std::optional<int> port_;
  int http_port_ = 0;
  std::unique_ptr<testing::ScratchDb> db_;
  std::filesystem::path dir_;
  std::unique_ptr<testing::Subprocess> exporter_;
};

TEST_F(PostgresExporterBinary, ServesPostgresMetricsAsTheGrantsRole) {
  ASSERT_TRUE(db_->ApplyGrants());
  const std::string secret = "Xy-secret-9f2";
  std::string password_file = Write("pg-password", secret + "\n");
  Start("host=127.0.0.1 port=" + std::to_string(*port_) +
            " user=cerniq_exporter dbname=" + db_->name(),
        {"CERNIQ_POSTGRES_PASSWORD_FILE=" + password_file});
  ASSERT_TRUE(testing::WaitFor([&] { return Get("/health/db").body == "{\"connected\":true}"; },
                               milliseconds(20000)));
  auto& sql = db_->sql();
  std::string body;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        body = Metrics();
        return body.find("cerniq_scrape_collector_success{collector=\"worker_errors\"} 1") !=
               std::string::npos;
      },
      milliseconds(20000)));

  EXPECT_EQ(Series(body, "cerniq_up{source=\"postgres\"}"), 1);
  EXPECT_EQ(Series(body, "nurturing_client_churn_score_bucket{le=\"80\"}"),
            sql.Number("SELECT count(*) FROM gold_nurturing_state WHERE churn_score <= 80"));
  EXPECT_EQ(Series(body, "nurturing_client_churn_score_count"),
            sql.Number("SELECT count(churn_score) FROM gold_nurturing_state"));
  EXPECT_EQ(Series(body, "nurturing_client_churn_score_bucket{le=\"+Inf\"}"),
            sql.Number("SELECT count(churn_score) FROM gold_nurturing_state"));
  EXPECT_EQ(Series(body, "nurturing_clients{state=\"AT_RISK\"}"),
            sql.Number("SELECT count(*) FROM gold_nurturing_state WHERE state = 'AT_RISK'"));
  // Full precision, exactly as stored (fixture: 2026-01-18 02:00:00.654321+00).
  EXPECT_EQ(SeriesText(body,
                       "cerniq_cron_job_last_run_timestamp_seconds{job_name=\"e5_graph_"
                       "rebuild\"}"),
            "1768701600.654321");
  EXPECT_EQ(Series(body, "graph_build_failures_total"),
            sql.Number("SELECT count(*) FROM graph_build_runs WHERE status = 'FAILED'"));
  EXPECT_EQ(Series(body, "cerniq_nurturing_actions_next_partition_exists"), 0);
  EXPECT_EQ(body.find(secret), std::string::npos);
  if (std::filesystem::exists("/usr/bin/promtool")) {
    // Prometheus's own linter on the PostgreSQL families (names, types, help, histograms).
    std::string file = Write("metrics.txt", body);
    FILE* p = popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
    std::string findings;
    char buf[512];
    while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) findings += buf;
    int status = p != nullptr ? pclose(p) : -1;
    EXPECT_EQ(findings, "");
    EXPECT_EQ(status, 0);
  }

  auto breached = [&](const std::string& text) {
    double total = 0;
    for (const auto& row : sql.Rows("SELECT DISTINCT approval_type FROM approval_tasks")) {
      total += Series(text, "hitl_sla_breached_total{approval_type=\"" + row[0] + "\"}");
    }
    return total;
  };
  double expected = sql.Number(
      "SELECT count(DISTINCT id) FROM (SELECT id, pipeline_stage, decided_at, due_at FROM "
      "approval_tasks UNION ALL SELECT id, pipeline_stage, decided_at, due_at FROM "
      "approval_tasks_archive) t WHERE pipeline_stage = 'E5' AND decided_at > due_at");
  EXPECT_EQ(breached(body), expected);

  // Runbook §5.1 archiving (two statements) and §5.2 partition, while the exporter runs.
  sql.Exec(
      "INSERT INTO approval_tasks_archive SELECT * FROM approval_tasks WHERE pipeline_stage "
      "= 'E5' AND status IN ('approved', 'rejected', 'expired') AND decided_at < NOW() - "
      "INTERVAL '30 days'");
  std::this_thread::sleep_for(milliseconds(700));
  EXPECT_EQ(breached(Metrics()), expected) << "between the copy and the delete";
  sql.Exec(
      "DELETE FROM approval_tasks WHERE pipeline_stage = 'E5' AND status IN ('approved', "
      "'rejected', 'expired') AND decided_at < NOW() - INTERVAL '30 days'");
  auto next = sql.Rows(
      "SELECT to_char(now() + interval '1 month', 'YYYY_MM'), "
      "to_char(date_trunc('month', now()) + interval '1 month', 'YYYY-MM-DD'), "
      "to_char(date_trunc('month', now()) + interval '2 month', 'YYYY-MM-DD')");
  ASSERT_EQ(next.size(), 1u);
  sql.Exec("CREATE TABLE IF NOT EXISTS gold_nurturing_actions_" + next[0][0] +
           " PARTITION OF gold_nurturing_actions_partitioned FOR VALUES FROM ('" + next[0][1] +
           "') TO ('" + next[0][2] + "')");
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        return SeriesText(Metrics(), "cerniq_nurturing_actions_next_partition_exists") == "1";
      },
      milliseconds(10000)));
  EXPECT_EQ(breached(Metrics()), expected) << "after the delete";
}

TEST_F(PostgresExporterBinary, HealthDbFalseWhenTheDatabaseIsUnreachable) {
  Start("host=127.0.0.1 port=1 user=postgres dbname=cerniq password=Zz-secret-1");
  ASSERT_TRUE(testing::WaitFor([&] { return Get("/-/ready").status == 200; }, milliseconds(20000)));
  EXPECT_EQ(Get("/health/db").body, "{\"connected\":false}");
  std::string body = Metrics();
  EXPECT_EQ(Series(body, "cerniq_up{source=\"postgres\"}"), 0);
  EXPECT_EQ(Series(body, "cerniq_scrape_collector_success{collector=\"churn\"}"), 0);
  EXPECT_EQ(SeriesText(body, "nurturing_client_churn_score_count"), std::nullopt);
  EXPECT_EQ(body.find("Zz-secret-1"), std::string::npos);
  EXPECT_TRUE(exporter_->Running());
}

}  // namespace
}  // namespace cerniq
